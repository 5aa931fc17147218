import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { EncryptionKey } from '../../src/crypto/encryption-key.ts';
import { INGEST_LOG_DIR_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';

// `foghorn encrypt` first loads the records left in the ingest log, opening the store as a
// plain file. When the store was encrypted already and its log still held segments, as
// after a crash, that open failed with "is encrypted; set FOGHORN_ENCRYPTION_KEY", although
// the key was set. Without segments the command reported the file as encrypted already.

const KEY_TEXT = 'encrypt-again-test-key-0123456789abcdef';

describe('foghorn encrypt on an encrypted store', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-encrypt-again-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the file as encrypted', async () => {
    const encryption = { key: new EncryptionKey(KEY_TEXT, 'test key'), allowUnsafeCrypto: true };
    await (await openDuckDbStore(dataDir, { encryption })).close();
    // A segment left behind by a crash.
    writeFileSync(join(dataDir, INGEST_LOG_DIR_NAME, 'segment-0000000000000001.log'), '');

    let stderr = '';
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr += String(text);
      return true;
    });
    process.env.FOGHORN_ENCRYPTION_KEY = KEY_TEXT;
    let code: number;
    try {
      code = await main(['encrypt', '--data-dir', dataDir, '--duckdb-unsafe-crypto']);
    } finally {
      write.mockRestore();
      delete process.env.FOGHORN_ENCRYPTION_KEY;
    }

    expect(code).toBe(2);
    expect(stderr).toContain('is already encrypted; nothing to do');
  }, 30_000);
});
