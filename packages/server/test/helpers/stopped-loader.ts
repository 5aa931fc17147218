import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INGEST_LOG_DIR_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';
import { interceptDuckDbRun } from './fault-injection.ts';

/** Resolves with 'timed out' after `ms`, for racing a promise that may never settle. */
export function timedOutAfter(ms: number): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve('timed out'), ms).unref());
}

/**
 * Opens the DuckDB store in `dataDir` so that its span loader stops at the first load. Every
 * COMMIT on the write connection fails. A stray file named `rejected` in the ingest log
 * directory then makes setting the failing record aside fail too.
 */
export async function openStoreThatStopsLoading(dataDir: string): Promise<Store> {
  mkdirSync(join(dataDir, INGEST_LOG_DIR_NAME));
  writeFileSync(join(dataDir, INGEST_LOG_DIR_NAME, 'rejected'), 'a stray file');
  const store = await openDuckDbStore(dataDir);
  interceptDuckDbRun(store, 'writer', async (sql, run) => {
    if (sql === 'COMMIT') throw new Error('Conversion Error: a value this column cannot hold');
    return run();
  });
  return store;
}

/** Opens the DuckDB store in `dataDir`, as a restart would, and returns how many spans it holds. */
export async function spansAfterRestart(dataDir: string): Promise<number> {
  const store = await openDuckDbStore(dataDir);
  try {
    return await store.countSpans();
  } finally {
    await store.close();
  }
}
