import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';

/**
 * Opens an appender on `table`, lets `fill` append rows to it, then flushes and closes it.
 * When `fill` or the flush fails, DuckDB aborts the transaction, and closing the appender
 * then fails too with only "Current transaction is aborted". The first error is the one
 * thrown, because it names the cause, such as DuckDB's memory limit.
 */
export async function fillAppender(
  connection: DuckDBConnection,
  table: string,
  fill: (appender: DuckDBAppender) => void | Promise<void>,
): Promise<void> {
  const appender = await connection.createAppender(table);
  try {
    await fill(appender);
    appender.flushSync();
  } catch (error) {
    // Rows still buffered would otherwise be flushed when the appender is garbage collected,
    // into whatever transaction the connection has open then.
    appender.clear();
    try {
      appender.closeSync();
    } catch {
      // DuckDB reports the failure above a second time here.
    }
    throw error;
  }
  appender.closeSync();
}

export function appendNullableVarchar(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

/** Appends a double; null, NaN and infinities are stored as NULL. */
export function appendNullableDouble(appender: DuckDBAppender, value: number | null): void {
  if (value === null || !Number.isFinite(value)) appender.appendNull();
  else appender.appendDouble(value);
}
