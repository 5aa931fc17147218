import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionKey } from '../../src/crypto/encryption-key.ts';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';

const KEY_TEXT = 'artifact-test-key-0123456789abcdef';
const MARKER = 'otter-marker-2b7e artifact contents';
const ARTIFACT_PATH = '1/run-a/artifacts/notes/prompt.txt';
const ARTIFACTS_URL = '/api/2.0/mlflow-artifacts/artifacts';

function start(dataDir: string): Promise<FoghornHandle> {
  return startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    encryption: { key: new EncryptionKey(KEY_TEXT, 'test key'), allowUnsafeCrypto: true },
  });
}

function artifactFile(dataDir: string): string {
  return join(dataDir, 'artifacts', ...ARTIFACT_PATH.split('/'));
}

describe('artifact encryption', () => {
  let dataDir: string;
  let server: FoghornHandle;
  let uploadStatus = 0;
  const body = `${MARKER}\n${'x'.repeat(200_000)}`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-artifacts-'));
    server = await start(dataDir);
    const upload = await fetch(`${server.url}${ARTIFACTS_URL}/${ARTIFACT_PATH}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body,
    });
    uploadStatus = upload.status;
  }, 60_000);
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores no plaintext on disk', () => {
    expect(uploadStatus).toBe(200);
    const bytes = readFileSync(artifactFile(dataDir));
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('FGF1');
    expect(bytes.includes('otter-marker-2b7e')).toBe(false);
    expect(bytes.length).toBe(Buffer.byteLength(body) + 32);
  });

  it('downloads the plaintext', async () => {
    const response = await fetch(`${server.url}${ARTIFACTS_URL}/${ARTIFACT_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await response.text()).toBe(body);
  });

  it('lists the plaintext size', async () => {
    const response = await fetch(`${server.url}${ARTIFACTS_URL}?path=1/run-a/artifacts/notes`);
    const listing = (await response.json()) as { files: { path: string; file_size: number }[] };
    expect(listing.files).toEqual([
      { path: 'prompt.txt', is_dir: false, file_size: Buffer.byteLength(body) },
    ]);
  });

  it('fails a download of a changed file', async () => {
    const file = artifactFile(dataDir);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(file, bytes);
    const text = await fetch(`${server.url}${ARTIFACTS_URL}/${ARTIFACT_PATH}`)
      .then((response) => response.text())
      .catch((error: Error) => `failed: ${error.message}`);
    expect(text).not.toBe(body);
  });
});
