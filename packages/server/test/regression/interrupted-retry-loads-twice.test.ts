import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestLog, RejectedRecordFile } from '../../src/store/duckdb/ingest-log.ts';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';
import { failLoaderCommits } from '../helpers/fault-injection.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

// A retry writes a set-aside batch to the ingest log and deletes its file once the new
// record is synced. A crash between the two steps leaves both: the restart loads the record,
// and the file is still listed. Retrying it again stored its spans a second time whenever
// they started more than an hour before the newest stored span, because after a restart
// the loader only recognises spans of the last hour as stored.

const HOUR_NS = 3_600_000_000_000n;

describe('retry interrupted before the file is deleted', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-interrupted-retry-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the batch once', async () => {
    const first = await openDuckDbStore(dataDir);
    let failing = true;
    failLoaderCommits(first, () => failing);
    await first.writeSpans(llmCalls(1, 3));
    await first.countSpans();
    failing = false;
    // A newer trace, two hours later, puts the set-aside spans outside the startup window.
    await first.writeSpans(
      llmCalls(2, 1).map((span) => ({
        ...span,
        startTimeUnixNano: span.startTimeUnixNano + 2n * HOUR_NS,
        endTimeUnixNano: span.endTimeUnixNano + 2n * HOUR_NS,
      })),
    );
    // The process stops right after the retried record is synced, before the file is deleted.
    const log = (first as unknown as { log: IngestLog }).log;
    log.replaceRejected = (_record: RejectedRecordFile, _payload: Buffer | null): void => {
      throw new Error('simulated crash before the set-aside file is deleted');
    };
    await expect(first.retrySetAside!()).rejects.toThrow('simulated crash');
    await first.close();

    const store: Store = await openDuckDbStore(dataDir);
    try {
      expect(await store.countSpans()).toBe(4);
      expect(store.setAsideSummary!().rejected.map((record) => record.spans)).toEqual([3]);

      await store.retrySetAside!();

      expect(await store.countSpans()).toBe(4);
      expect(store.setAsideSummary!().rejected).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
