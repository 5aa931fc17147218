import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import {
  openEncryptedDuckDb,
  openPlainDuckDb,
  type DuckDbEncryption,
} from '../../crypto/duckdb-encryption.ts';
import { DUCKDB_FILE_NAME } from '../duckdb/duckdb-store.ts';
import { SCHEMA_STATEMENTS } from '../duckdb/schema.ts';
import { applyMemoryLimit } from '../duckdb/open-store-file.ts';

/**
 * Opens `<dataDir>/foghorn.duckdb` for the state that stays in DuckDB next to a ClickHouse
 * span store: alert state and outbox, scores, budgets, tracking and auth. It is the file the
 * DuckDB span store uses, so switching `--store` keeps users, keys and alert state. Open it
 * once per process and close it with `closeSync()` after every store on it is closed.
 * The DuckDB `spans` table is created too, because score queries join it for the
 * attribution of scored spans.
 * NOTE: with ClickHouse that table stays empty, so score summaries and score alarms see no
 * tenant, feature or environment and ignore those filters.
 */
export async function openStateDuckDb(
  dataDir: string,
  encryption: DuckDbEncryption | null,
  memoryLimitBytes: number | null = null,
): Promise<DuckDBInstance> {
  const path = join(dataDir, DUCKDB_FILE_NAME);
  const instance =
    encryption === null ? await openPlainDuckDb(path) : await openEncryptedDuckDb(path, encryption);
  const connection = await instance.connect();
  try {
    await applyMemoryLimit(connection, memoryLimitBytes);
    for (const statement of SCHEMA_STATEMENTS) await connection.run(statement);
  } finally {
    connection.closeSync();
  }
  return instance;
}
