import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Runs `task` in a transaction of `connection` and commits it, or rolls it back when `task` or
 * the COMMIT fails, then throws that failure.
 */
export async function inTransaction<T>(
  connection: DuckDBConnection,
  task: () => Promise<T>,
): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await task();
    await connection.run('COMMIT');
    return result;
  } catch (error) {
    // A failed COMMIT has ended the transaction already, so this ROLLBACK may fail too, and
    // the first error is the one that names the cause.
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
