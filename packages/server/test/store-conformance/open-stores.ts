import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChdbDriver } from '../../src/store/clickhouse/chdb-driver.ts';
import { openClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.ts';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';

/** One backend under test, opened in a new temporary directory. */
export interface OpenedStore {
  name: 'duckdb' | 'clickhouse';
  store: Store;
  close(): Promise<void>;
}

export async function openDuckDb(): Promise<OpenedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-conformance-duckdb-'));
  const store = await openDuckDbStore(dir);
  return {
    name: 'duckdb',
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens ClickHouse through chdb; one process holds one chdb directory, so each test file opens one. */
export async function openChdb(database = 'conformance'): Promise<OpenedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-conformance-chdb-'));
  const store = await openClickHouseStore(openChdbDriver(dir), {
    layout: { database, cluster: null },
  });
  return {
    name: 'clickhouse',
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
