import type { DuckDBInstance } from '@duckdb/node-api';

/**
 * The flush function of each store's span writer, by DuckDB instance. The writer acknowledges
 * a write once it is in the ingest log and commits it to DuckDB later. So code that reads the
 * spans table on its own connection of the instance calls `spansVisible` first, and its query
 * then covers every acknowledged span.
 */
const flushes = new WeakMap<DuckDBInstance, () => Promise<void>>();

/** Records the flush function of the span writer that writes to `instance`. */
export function registerSpanFlush(instance: DuckDBInstance, flush: () => Promise<void>): void {
  flushes.set(instance, flush);
}

/** Resolves once the spans acknowledged so far are committed in the store on `instance`. */
export function spansVisible(instance: DuckDBInstance): Promise<void> {
  return flushes.get(instance)?.() ?? Promise.resolve();
}
