import type { DuckDBAppender } from '@duckdb/node-api';

export function appendNullableVarchar(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

/** Appends a double; null, NaN and infinities are stored as NULL. */
export function appendNullableDouble(appender: DuckDBAppender, value: number | null): void {
  if (value === null || !Number.isFinite(value)) appender.appendNull();
  else appender.appendDouble(value);
}
