import type { DuckDBConnection } from '@duckdb/node-api';
import { duckDbInstanceOf } from '../../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';

type Run = (sql: string, ...rest: unknown[]) => Promise<unknown>;

/** DuckDB 1.5.6's error when a COMMIT into a large indexed store needs more than its memory limit. */
export const COMMIT_OUT_OF_MEMORY =
  'TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (255.8 MiB/256.0 MiB used)';

/**
 * Routes every statement that the DuckDB store's `connection` ('writer' for spans, 'signals'
 * for metrics and logs) runs through `intercept`, which may call `run` and may throw, as a
 * failing disk or a failing statement would.
 */
export function interceptDuckDbRun(
  store: Store,
  connection: 'writer' | 'signals',
  intercept: (sql: string, run: () => Promise<unknown>) => Promise<unknown>,
): void {
  const internals = store as unknown as {
    writer: { connection: DuckDBConnection };
    signalConnection: DuckDBConnection;
  };
  const target = connection === 'writer' ? internals.writer.connection : internals.signalConnection;
  const run = target.run.bind(target) as Run;
  target.run = ((sql: string, ...rest: unknown[]) =>
    intercept(sql, () => run(sql, ...rest))) as typeof target.run;
}

/**
 * Routes every statement of the DuckDB store's maintenance connection (retention, erasure)
 * through `intercept`, as `interceptDuckDbRun` does for the other connections. Returns the
 * connection, so `intercept` can run statements of its own on it.
 */
export async function interceptMaintenanceRun(
  store: Store,
  intercept: (sql: string, run: () => Promise<unknown>) => Promise<unknown>,
): Promise<DuckDBConnection> {
  const internals = store as unknown as {
    maintenanceConnection(): Promise<{ connection: DuckDBConnection }>;
  };
  const target = (await internals.maintenanceConnection()).connection;
  const run = target.run.bind(target) as Run;
  target.run = ((sql: string, ...rest: unknown[]) =>
    intercept(sql, () => run(sql, ...rest))) as typeof target.run;
  return target;
}

/**
 * Makes every COMMIT of the store's span loader fail, as a value that DuckDB cannot store
 * would, while `failing()` returns true. A batch that fails three times is set aside.
 */
export function failLoaderCommits(store: Store, failing: () => boolean = () => true): void {
  interceptDuckDbRun(store, 'writer', async (sql, run) => {
    if (failing() && sql === 'COMMIT') {
      throw new Error('Conversion Error: a value this column cannot hold');
    }
    return run();
  });
}

/**
 * Raises the memory limit that the store was opened with to `bytes`, as a restart with a larger
 * `--memory-limit` would, so that DuckDB has room again and a memory stall ends. Setting
 * `memory_limit` alone would not last: the store sets its own limit again after each commit.
 */
export async function raiseMemoryLimit(store: Store, bytes: number): Promise<void> {
  const internals = store as unknown as { checkpoints: { limitBytes: number } };
  internals.checkpoints.limitBytes = bytes;
  const connection = await duckDbInstanceOf(store)!.connect();
  try {
    await connection.run(`SET memory_limit = '${bytes}B'`);
  } finally {
    connection.closeSync();
  }
}
