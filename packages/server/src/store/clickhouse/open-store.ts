import { join } from 'node:path';
import type { Store } from '../store.ts';
import { openChdbDriver } from './chdb-driver.ts';
import { openClickHouseStore } from './clickhouse-store.ts';
import type { ClickHouseDriver } from './driver.ts';
import { openHttpDriver } from './http-driver.ts';
import { openLeaseTable, type LeaseTable } from './lease-table.ts';
import type { ScoreCleanup } from './score-cleanup.ts';
import { parseStoreUrl, redactStoreUrl, type StoreLocation } from './store-url.ts';

/** Opens the driver of a ClickHouse location; null for the DuckDB store. */
export function openDriverFor(location: StoreLocation): ClickHouseDriver | null {
  if (location.kind === 'clickhouse') {
    return openHttpDriver({
      url: location.url,
      username: location.username,
      password: location.password,
      database: location.database,
    });
  }
  if (location.kind === 'chdb') return openChdbDriver(location.path);
  return null;
}

/** True when `--store` is unset or names the DuckDB file, the default. */
export function isDuckDbStoreUrl(storeUrl: string | null | undefined): boolean {
  return storeUrl === null || storeUrl === undefined || parseStoreUrl(storeUrl).kind === 'duckdb';
}

/** A ClickHouse span store and the lease table on the same connection. */
export interface OpenedClickHouseStore {
  store: Store;
  leases: LeaseTable;
}

/**
 * Opens the ClickHouse span store that `--store` names, over HTTP or in-process (a
 * `chdb://` URL without a path uses `<dataDir>/chdb`). Alert state, tracking, scores and
 * budgets stay in the DuckDB file; `scores` deletes scores there during retention and
 * erasure, and the store closes it.
 */
export async function openClickHouseStoreFromUrl(
  storeUrl: string,
  dataDir: string,
  options: { maxQueuedSpans?: number; scores?: ScoreCleanup | null },
): Promise<OpenedClickHouseStore> {
  const parsed = parseStoreUrl(storeUrl);
  const location =
    parsed.kind === 'chdb' && parsed.path === ''
      ? { ...parsed, path: join(dataDir, 'chdb') }
      : parsed;
  const driver = openDriverFor(location);
  if (driver === null || location.kind === 'duckdb') {
    throw new Error(`--store ${redactStoreUrl(storeUrl)} names the DuckDB store, not ClickHouse`);
  }
  const layout = {
    database: location.database,
    cluster: location.kind === 'clickhouse' ? location.cluster : null,
  };
  const store = await openClickHouseStore(driver, {
    layout,
    maxQueuedSpans: options.maxQueuedSpans,
    scores: options.scores,
  });
  return { store, leases: openLeaseTable(driver, layout) };
}
