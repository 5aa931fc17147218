import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INGEST_LOG_DIR_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { IngestLog } from '../../src/store/duckdb/ingest-log.ts';
import { WriteQueueFullError } from '../../src/store/write-queue-full.ts';
import { llmCalls } from '../helpers/llm-calls.ts';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';

// Opening the store loads the ingest log records that were not committed before a crash.
// Those spans were never counted as queued, but the loader subtracted them from the count
// of queued spans all the same. The count went negative by the number of replayed spans,
// so after a restart with a backlog, --max-queued-spans and the pacing at 4,096 waiting
// spans stopped applying, and a client could fill the memory while the loader was slow.

describe('replayed ingest log', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-replayed-log-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the queue limit after replay', async () => {
    // A crash left 100 acknowledged spans in the log, above the committed position 0.
    const log = IngestLog.open(join(dataDir, INGEST_LOG_DIR_NAME), null, 0);
    await log.append(serialize(llmCalls(1, 100)));
    await log.close();

    const store = await openDuckDbStore(dataDir, { maxQueuedSpans: 10 });
    let releaseLoader!: () => void;
    const loaderBlocked = new Promise<void>((resolve) => (releaseLoader = resolve));
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql === 'BEGIN TRANSACTION') await loaderBlocked;
      return run();
    });
    try {
      // The loader waits, so the first write's 8 spans stay queued.
      await store.writeSpans(llmCalls(2, 8));
      const second = store.writeSpans(llmCalls(3, 8));
      await expect(second).rejects.toBeInstanceOf(WriteQueueFullError);

      releaseLoader();
      expect(await store.countSpans()).toBe(108);
    } finally {
      releaseLoader();
      await store.close();
    }
  });
});
