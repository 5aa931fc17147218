import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INGEST_LOG_DIR_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { erasureOf } from '../helpers/erasure-request.ts';
import { llmCalls } from '../helpers/llm-calls.ts';
import { openStoreThatStopsLoading } from '../helpers/stopped-loader.ts';

// Erasure first commits every acknowledged span and deletes the ingest log segments that
// held them. When the loader had stopped until a restart, that step returned without
// committing or deleting anything, and the erasure reported success. The user's spans
// stayed in the log and were loaded into the store at the next start.

describe('erasure while the loader is stopped', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-halted-erasure-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails instead of reporting success', async () => {
    // A file named `rejected` makes setting a record aside fail, which stops the loader.
    const store = await openStoreThatStopsLoading(dataDir);
    await store.writeSpans(llmCalls(1, 3).map((span) => ({ ...span, userId: 'user-to-erase' })));
    expect(await store.countSpans()).toBe(0);
    expect(store.writeBlocker?.()).toMatch(/could not be set aside/);

    const erasure = store.eraseUser(erasureOf()).then(
      () => 'erased',
      (error: unknown) => String(error),
    );
    expect(await erasure).toMatch(/could not be set aside/);
    await store.close();

    // The spans are still in the log, so nothing claims they were erased.
    rmSync(join(dataDir, INGEST_LOG_DIR_NAME, 'rejected'));
    const reopened = await openDuckDbStore(dataDir);
    try {
      expect(await reopened.countSpans()).toBe(3);
      const entry = await reopened.eraseUser(erasureOf());
      expect(entry.counts.spans).toBe(3);
      expect(await reopened.countSpans()).toBe(0);
    } finally {
      await reopened.close();
    }
  }, 30_000);
});
