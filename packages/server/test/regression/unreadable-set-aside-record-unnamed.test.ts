import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INGEST_LOG_DIR_NAME } from '../../src/store/duckdb/duckdb-store.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Some files in the ingest log's `rejected` directory do not decode as a batch of spans:
// bytes from elsewhere, a record sealed with another key, a directory with a record's name.
// One of them made the set-aside list, the retry, erasure and retention fail with V8's or
// Node's bare message, which names no file. The API responded 500 "internal error", so an
// operator could not tell which file to move, and every erasure failed until someone found it.

describe('unreadable set-aside record', () => {
  let server: TestServer;
  let recordPath: string;

  beforeEach(async () => {
    server = await startTestServer();
    const rejectedDir = join(server.dataDir, INGEST_LOG_DIR_NAME, 'rejected');
    mkdirSync(rejectedDir, { recursive: true });
    recordPath = join(rejectedDir, '0000000000000007.record');
  });
  afterEach(async () => {
    await server.stop();
  });

  const unreadable: [string, () => void][] = [
    ['foreign bytes', () => writeFileSync(recordPath, 'bytes that are not a record')],
    ['a directory', () => mkdirSync(recordPath)],
  ];

  it.each(unreadable)('named in list and retry errors (%s)', async (_, create) => {
    create();

    const listed = await server.getJson('/api/v1/ingest-log/set-aside');
    const retried = await fetch(`${server.url}/api/v1/ingest-log/set-aside/retry`, {
      method: 'POST',
    });
    const retriedBody = (await retried.json()) as { error: { message: string } };

    expect(listed.status).toBe(500);
    expect(listed.body.error.message).toContain(recordPath);
    expect(listed.body.error.message).toContain('move it out of');
    expect(retried.status).toBe(500);
    expect(retriedBody.error.message).toContain(recordPath);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('named in the erasure error', async () => {
    writeFileSync(recordPath, 'bytes that are not a record');

    const erased = await fetch(`${server.url}/api/v1/privacy/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'user-to-erase' }),
    });
    const body = (await erased.json()) as { error: { message: string } };

    expect(erased.status).toBe(500);
    expect(body.error.message).toContain(recordPath);
  });
});
