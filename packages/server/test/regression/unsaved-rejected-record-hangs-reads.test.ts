import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INGEST_LOG_DIR_NAME } from '../../src/store/duckdb/duckdb-store.ts';
import { llmCalls } from '../helpers/llm-calls.ts';
import {
  openStoreThatStopsLoading,
  spansAfterRestart,
  timedOutAfter,
} from '../helpers/stopped-loader.ts';

// A logged batch that fails to load three times is saved to the log's `rejected` directory.
// When that save failed too, here because a stray file named `rejected` was in the way,
// the error escaped the loader and was swallowed. The store's position stayed below the
// record, so every read waited in `flush()` for a commit that never came, and the next
// write's commit would have moved the position past the record without saving it. Now the
// loader stops as it does when DuckDB invalidates the file: reads return, writes fail, and
// the record stays in the log for the restart.

const READ_TIMEOUT_MS = 10_000;

describe('rejected record that cannot be saved', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-unsaved-rejected-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('read still returns', async () => {
    const store = await openStoreThatStopsLoading(dataDir);

    await store.writeSpans(llmCalls(1, 3));
    const read = store.countSpans().then(String, (error: unknown) => `failed: ${String(error)}`);
    // If the read hangs, the store stays open, because close() waits for the same commit.
    expect(await Promise.race([read, timedOutAfter(READ_TIMEOUT_MS)])).toBe('0');
    await expect(store.writeSpans(llmCalls(2, 1))).rejects.toThrow(
      /ingest log record 1 failed to load 3 times and could not be set aside/,
    );
    // /healthz reports the stop, so a supervisor restarts the server.
    expect(store.writeBlocker?.()).toMatch(/could not be set aside/);
    await store.close();

    // The record stayed in the log and loads once the directory is fixed.
    rmSync(join(dataDir, INGEST_LOG_DIR_NAME, 'rejected'));
    expect(await spansAfterRestart(dataDir)).toBe(3);
  }, 30_000);
});
