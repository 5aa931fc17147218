import type { DuckDBInstance } from '@duckdb/node-api';

/**
 * The span writer acknowledges a write once it is in the ingest log and commits it to
 * DuckDB later. Code that reads the spans table on its own connection of the store's
 * instance calls `spansVisible` first, so it sees every acknowledged span.
 */
const flushes = new WeakMap<DuckDBInstance, () => Promise<void>>();

export function registerSpanFlush(instance: DuckDBInstance, flush: () => Promise<void>): void {
  flushes.set(instance, flush);
}

/** Resolves once the spans acknowledged so far are committed in the store on `instance`. */
export function spansVisible(instance: DuckDBInstance): Promise<void> {
  return flushes.get(instance)?.() ?? Promise.resolve();
}
