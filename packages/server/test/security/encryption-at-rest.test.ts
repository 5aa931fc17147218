import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { DuckDbEncryption } from '../../src/crypto/duckdb-encryption.ts';
import { EncryptionKey } from '../../src/crypto/encryption-key.ts';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';
import { DAY_MS, emitTraces } from '../privacy/signal-emitters.ts';
import { encryptDuckDbFile } from '../../src/crypto/encrypt-command.ts';
import {
  DUCKDB_FILE_NAME,
  INGEST_LOG_DIR_NAME,
  openDuckDbStore,
} from '../../src/store/duckdb/duckdb-store.ts';
import { failLoaderCommits } from '../helpers/fault-injection.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

const CRASH_SCRIPT = fileURLToPath(new URL('../store/helpers/crash-after-ack.ts', import.meta.url));

const KEY_TEXT = 'encryption-test-key-0123456789abcdef';
const PSEUDONYM_SECRET = 'encryption-test-pseudonym-secret-0123456789';
const MARKER = 'zebra-marker-7f3a encrypted prompt text';
const ERASED_TEXT = 'walrus-marker-91c2 erased prompt text';
const EXPIRED_TEXT = 'heron-marker-55d0 expired prompt text';
const RETENTION_YAML = 'ttl:\n  spans: 30d\nintervalMs: 3600000\n';

// NOTE: DuckDB 1.5.6 writes encrypted files securely only with its httpfs extension
// (OpenSSL), which cannot be installed offline; these tests accept the mbedTLS writer.
function encryptionWith(keyText: string): DuckDbEncryption {
  return { key: new EncryptionKey(keyText, 'test key'), allowUnsafeCrypto: true };
}

function start(
  dataDir: string,
  encryption: DuckDbEncryption | null,
  compactOnStart = false,
): Promise<FoghornHandle> {
  return startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    encryption,
    compactOnStart,
  });
}

/** Names of the DuckDB files (main file and WAL) whose bytes contain `text`. */
function filesContaining(dataDir: string, text: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name.includes('.duckdb'))
    .filter((name) => readFileSync(join(dataDir, name)).includes(text));
}

async function traceText(server: FoghornHandle, traceId: string): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/traces/${traceId}`);
  return JSON.stringify(await response.json());
}

async function startError(dataDir: string, encryption: DuckDbEncryption | null): Promise<Error> {
  try {
    const server = await start(dataDir, encryption);
    await server.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('start succeeded, but an error was expected');
}

describe('encryption at rest', () => {
  let dataDir: string;
  const nowMs = Date.now();
  const traces: Record<string, string> = {};
  let leaksWhileRunning: string[] = [];
  let walWhileRunning = false;
  let erasureStatus = 0;
  let retentionDeleted = 0;

  beforeAll(async () => {
    process.env.FOGHORN_PSEUDONYM_SECRET = PSEUDONYM_SECRET;
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-encrypted-'));
    writeFileSync(join(dataDir, 'retention.yaml'), RETENTION_YAML);
    const server = await start(dataDir, encryptionWith(KEY_TEXT));
    const [kept, erased, expired] = await emitTraces(server.otlpUrl, [
      { userId: 'u-kept', startMs: nowMs - 60_000, content: MARKER },
      { userId: 'u-erased', startMs: nowMs - 50_000, content: ERASED_TEXT },
      { userId: 'u-expired', startMs: nowMs - 40 * DAY_MS, content: EXPIRED_TEXT },
    ]);
    Object.assign(traces, { kept, erased, expired });
    walWhileRunning = existsSync(join(dataDir, 'foghorn.duckdb.wal'));
    leaksWhileRunning = filesContaining(dataDir, MARKER);
    const erasure = await fetch(`${server.url}/api/v1/privacy/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u-erased', requestedBy: 'encryption-test' }),
    });
    erasureStatus = erasure.status;
    retentionDeleted = (await server.retention.runOnce()).spansDeleted;
    await server.close();
  }, 120_000);
  afterAll(() => {
    delete process.env.FOGHORN_PSEUDONYM_SECRET;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the marker out of the file and WAL while running', () => {
    expect(walWhileRunning).toBe(true);
    expect(leaksWhileRunning).toEqual([]);
  });

  it('keeps the marker out of the closed file', () => {
    expect(filesContaining(dataDir, MARKER)).toEqual([]);
    expect(filesContaining(dataDir, 'u-kept')).toEqual([]);
  });

  it('erases and applies retention on the encrypted file', () => {
    expect(erasureStatus).toBe(200);
    expect(retentionDeleted).toBe(2);
  });

  it('rejects a start without the key', async () => {
    const error = await startError(dataDir, null);
    expect(error.message).toBe(
      `${join(dataDir, 'foghorn.duckdb')} is encrypted; set FOGHORN_ENCRYPTION_KEY or --encryption-key-file to the key it was written with`,
    );
  });

  it('rejects a start with a wrong key', async () => {
    const error = await startError(dataDir, encryptionWith('wrong-key-0123456789abcdef'));
    expect(error.message).toBe(
      `${join(dataDir, 'foghorn.duckdb')} cannot be decrypted with the configured encryption key; set FOGHORN_ENCRYPTION_KEY or --encryption-key-file to the key it was written with`,
    );
    expect(error.message).not.toContain('wrong-key');
  });

  it('reads the data back with the key after compaction', async () => {
    const server = await start(dataDir, encryptionWith(KEY_TEXT), true);
    try {
      expect(await traceText(server, traces.kept!)).toContain(MARKER);
      expect(await traceText(server, traces.erased!)).not.toContain(ERASED_TEXT);
      expect(await traceText(server, traces.expired!)).not.toContain(EXPIRED_TEXT);
    } finally {
      await server.close();
    }
    expect(filesContaining(dataDir, MARKER)).toEqual([]);
  }, 60_000);
});

describe('foghorn encrypt', () => {
  let dataDir: string;
  let traceId = '';
  let exitCode = -1;
  let output = '';
  let plainLeaks: string[] = [];

  beforeAll(async () => {
    process.env.FOGHORN_PSEUDONYM_SECRET = PSEUDONYM_SECRET;
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-encrypt-cli-'));
    const plain = await start(dataDir, null);
    [traceId = ''] = await emitTraces(plain.otlpUrl, [
      { userId: 'u-plain', startMs: nowMinusMinute(), content: MARKER },
    ]);
    await plain.close();
    plainLeaks = filesContaining(dataDir, MARKER);
    process.env.FOGHORN_ENCRYPTION_KEY = KEY_TEXT;
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output += String(chunk);
      return true;
    });
    try {
      exitCode = await main(['encrypt', '--data-dir', dataDir, '--duckdb-unsafe-crypto']);
    } finally {
      write.mockRestore();
      delete process.env.FOGHORN_ENCRYPTION_KEY;
    }
  }, 120_000);
  afterAll(() => {
    delete process.env.FOGHORN_PSEUDONYM_SECRET;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('was plain before the command', () => {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(plainLeaks.length).toBeGreaterThan(0);
  });

  it('reports the copy and exits 0', () => {
    expect(exitCode).toBe(0);
    expect(output).toMatch(/^encrypted .*foghorn\.duckdb: \d+ tables, \d+ rows copied/);
  });

  it('leaves no plaintext marker in the data dir', () => {
    expect(filesContaining(dataDir, MARKER)).toEqual([]);
  });

  it('serves the data with the key', async () => {
    const server = await start(dataDir, encryptionWith(KEY_TEXT));
    try {
      expect(await traceText(server, traceId)).toContain(MARKER);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('refuses a plain file when a key is set', async () => {
    const plainDir = mkdtempSync(join(tmpdir(), 'foghorn-plain-'));
    try {
      const plain = await start(plainDir, null);
      await plain.close();
      const error = await startError(plainDir, encryptionWith(KEY_TEXT));
      expect(error.message).toContain('is not encrypted, but an encryption key is set');
      expect(error.message).toContain('foghorn encrypt --data-dir');
    } finally {
      rmSync(plainDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('foghorn encrypt after a crash', () => {
  it('loads the ingest log first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-encrypt-crashed-'));
    try {
      // The child acknowledges 200 spans and dies before the store commits them.
      const child = spawn(process.execPath, ['--import', 'tsx', CRASH_SCRIPT, dataDir], {
        stdio: 'ignore',
      });
      await new Promise((resolve) => child.once('exit', resolve));
      expect(readdirSync(join(dataDir, INGEST_LOG_DIR_NAME)).length).toBeGreaterThan(0);

      process.env.FOGHORN_ENCRYPTION_KEY = KEY_TEXT;
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await main(['encrypt', '--data-dir', dataDir, '--duckdb-unsafe-crypto'])).toBe(0);
      } finally {
        write.mockRestore();
        delete process.env.FOGHORN_ENCRYPTION_KEY;
      }

      const store = await openDuckDbStore(dataDir, { encryption: encryptionWith(KEY_TEXT) });
      try {
        expect(await store.countSpans()).toBe(200);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('foghorn encrypt with set-aside batches', () => {
  const SET_ASIDE_USER = 'okapi-marker-3e1b set-aside user';
  let dataDir: string;
  let recordPath: string;

  /** Leaves a plain store with one set-aside batch of three spans holding SET_ASIDE_USER. */
  async function plainStoreWithSetAside(): Promise<void> {
    const store = await openDuckDbStore(dataDir);
    failLoaderCommits(store);
    try {
      await store.writeSpans(llmCalls(1, 3).map((span) => ({ ...span, userId: SET_ASIDE_USER })));
      await store.countSpans();
    } finally {
      await store.close();
    }
    recordPath = join(dataDir, INGEST_LOG_DIR_NAME, 'rejected', '0000000000000001.record');
    expect(readFileSync(recordPath).toString('latin1')).toContain(SET_ASIDE_USER);
  }

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-encrypt-set-aside-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seals batches and deletes damaged copies', async () => {
    await plainStoreWithSetAside();
    const damaged = join(dataDir, INGEST_LOG_DIR_NAME, 'segment-0000000000000001.log.damaged');
    writeFileSync(damaged, `plain bytes of ${SET_ASIDE_USER}`);

    process.env.FOGHORN_ENCRYPTION_KEY = KEY_TEXT;
    const output: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['encrypt', '--data-dir', dataDir, '--duckdb-unsafe-crypto'])).toBe(0);
    } finally {
      write.mockRestore();
      delete process.env.FOGHORN_ENCRYPTION_KEY;
    }

    expect(output.join('')).toContain('sealed 1 set-aside ingest batches with the key');
    expect(output.join('')).toContain(`deleted ${damaged}`);
    expect(existsSync(damaged)).toBe(false);
    expect(readFileSync(recordPath).toString('latin1')).not.toContain(SET_ASIDE_USER);
    const store = await openDuckDbStore(dataDir, { encryption: encryptionWith(KEY_TEXT) });
    try {
      expect(store.setAsideSummary!().rejected.map((record) => record.spans)).toEqual([3]);
      expect(await store.retrySetAside!()).toEqual({ batches: 1, spans: 3 });
      expect(await store.countSpans()).toBe(3);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('a keyed start after an interrupted encrypt', () => {
  it('seals the plain set-aside batch', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-encrypt-interrupted-'));
    try {
      const store = await openDuckDbStore(dataDir);
      failLoaderCommits(store);
      await store.writeSpans(llmCalls(2, 2).map((span) => ({ ...span, userId: 'ibis-marker' })));
      await store.countSpans();
      await store.close();
      // `foghorn encrypt` stopped after the store file and before the set-aside batches.
      await encryptDuckDbFile(dataDir, DUCKDB_FILE_NAME, encryptionWith(KEY_TEXT));

      const keyed = await openDuckDbStore(dataDir, { encryption: encryptionWith(KEY_TEXT) });
      try {
        const record = join(dataDir, INGEST_LOG_DIR_NAME, 'rejected', '0000000000000001.record');
        expect(readFileSync(record).toString('latin1')).not.toContain('ibis-marker');
        expect(keyed.setAsideSummary!().rejected.map((batch) => batch.spans)).toEqual([2]);
      } finally {
        await keyed.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

function nowMinusMinute(): number {
  return Date.now() - 60_000;
}
