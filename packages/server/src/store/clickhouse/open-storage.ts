import type { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDbEncryption } from '../../crypto/duckdb-encryption.ts';
import { duckDbInstanceOf, openDuckDbStore } from '../duckdb/duckdb-store.ts';
import type { Store } from '../store.ts';
import type { LeaseTable } from './lease-table.ts';
import { isDuckDbStoreUrl, openClickHouseStoreFromUrl } from './open-store.ts';
import { openDuckDbScoreCleanup } from './score-cleanup.ts';
import { openStateDuckDb } from './state-duckdb.ts';

/** The span store and the one DuckDB instance of the process. */
export interface Storage {
  store: Store;
  /** Alert state, outbox, scores, budgets, tracking and auth live here whatever the span store. */
  stateDb: DuckDBInstance;
  /** The leader lease table; null for the DuckDB store, where the process always leads. */
  leases: LeaseTable | null;
  /** Closes the span store, then the state instance when it is not the span store's own. */
  close(): Promise<void>;
}

/**
 * Opens the span store that `--store` names. The DuckDB store's own instance holds the
 * state; with ClickHouse the state goes to `<dataDir>/foghorn.duckdb`, opened here once.
 */
export async function openStorage(
  storeUrl: string | null | undefined,
  dataDir: string,
  options: {
    maxQueuedSpans?: number;
    encryption: DuckDbEncryption | null;
    /** DuckDB's `memory_limit` in bytes, for the DuckDB file whatever the span store; null keeps DuckDB's default. */
    memoryLimitBytes?: number | null;
    /** DuckDB store only: receives each failure of the span loader. */
    onLoadError?: (error: unknown, what: string) => void;
    /** DuckDB store only: receives a logged batch that was set aside after its loads failed. */
    onRejectedRecord?: (seq: number, path: string, error: unknown) => void;
    /** DuckDB store only: receives each damaged segment copy that erasure or retention deleted. */
    onSetAsideDeleted?: (what: string) => void;
  },
): Promise<Storage> {
  if (isDuckDbStoreUrl(storeUrl)) {
    const store = await openDuckDbStore(dataDir, options);
    return { store, stateDb: duckDbInstanceOf(store)!, leases: null, close: () => store.close() };
  }
  const stateDb = await openStateDuckDb(
    dataDir,
    options.encryption,
    options.memoryLimitBytes ?? null,
  );
  try {
    const { store, leases } = await openClickHouseStoreFromUrl(storeUrl!, dataDir, {
      maxQueuedSpans: options.maxQueuedSpans,
      scores: await openDuckDbScoreCleanup(stateDb),
    });
    const close = async (): Promise<void> => {
      await store.close();
      stateDb.closeSync();
    };
    return { store, stateDb, leases, close };
  } catch (error) {
    stateDb.closeSync();
    throw error;
  }
}
