import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  ENCRYPTED_CATALOG,
  createCryptoInstance,
  encryptedAttachOptions,
  explainOpenError,
  sqlString,
  type DuckDbEncryption,
} from '../../crypto/duckdb-encryption.ts';

/**
 * Rows per row group of the store file. DuckDB's default is 122,880, and each
 * automatic checkpoint rewrites and recompresses the open row group, so smaller
 * groups cost less to append ~3 KB spans to: 7 to 19 % less write CPU in two
 * runs of `bench/ingest/stage-bench.ts` (docs/benchmarks.md). The span loader
 * commits at a full group. A commit that a reader forces earlier raised peak RSS
 * by 30 to 46 MiB with 16,384 rows. With 8,192, six paired cases of
 * `bench/ingest/ingest-bench.ts` peaked 20 to 50 MiB lower in five and 5 MiB
 * higher in one, at the same throughput.
 * DuckDB 1.5.6 takes the size only as an ATTACH option and does not store it in
 * the file.
 */
export const ROW_GROUP_SIZE = 8_192;

/**
 * WAL size that triggers an automatic checkpoint. DuckDB's default is 16 MB. In a store
 * that already contains millions of spans, each checkpoint takes seconds whatever the WAL
 * size. The loader's commit waits for it, so fewer checkpoints mean fewer stalls
 * (docs/benchmarks.md). The price is up to 256 MB of WAL on disk, which a restart after a
 * crash replays: a 217 MiB WAL took 1.4 s.
 */
export const CHECKPOINT_THRESHOLD_BYTES = 256_000_000;

/** Catalog name of a plain file: the name DuckDB gives `foghorn.duckdb` when it opens the file directly. */
const PLAIN_CATALOG = 'foghorn';

/**
 * Opens the store file at `path` in an in-memory instance with ATTACH, so the
 * row group size applies to plain and encrypted files alike. Every connection
 * of the instance starts with `USE`, so queries need no catalog name.
 */
export async function openStoreFile(
  path: string,
  encryption: DuckDbEncryption | null,
  memoryLimitBytes: number | null = null,
): Promise<DuckDBInstance> {
  const instance =
    encryption === null
      ? await DuckDBInstance.create(':memory:')
      : await createCryptoInstance(encryption);
  const catalog = encryption === null ? PLAIN_CATALOG : ENCRYPTED_CATALOG;
  const connection = await instance.connect();
  try {
    await attachStoreFile(connection, path, catalog, encryption);
    await applyStoreSettings(connection, path);
    await applyMemoryLimit(connection, memoryLimitBytes);
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  connection.closeSync();
  useCatalogOnConnect(instance, catalog);
  return instance;
}

async function attachStoreFile(
  connection: DuckDBConnection,
  path: string,
  catalog: string,
  encryption: DuckDbEncryption | null,
): Promise<void> {
  const options =
    encryption === null
      ? `(ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`
      : encryptedAttachOptions(encryption).replace(/\)$/, `, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
  try {
    await connection.run(`ATTACH ${sqlString(path)} AS ${catalog} ${options}`);
  } catch (error) {
    throw explainOpenError(path, error, encryption !== null);
  }
}

/** Sets the checkpoint threshold and puts spill files next to the store file, where DuckDB puts them for a file it opens directly. */
async function applyStoreSettings(connection: DuckDBConnection, path: string): Promise<void> {
  await connection.run(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD_BYTES}B'`);
  await connection.run(`SET temp_directory = ${sqlString(`${path}.tmp`)}`);
}

/**
 * Sets DuckDB's `memory_limit` for the instance, or keeps DuckDB's default (80 % of the
 * machine's memory) when `bytes` is null. The limit bounds the cache of table blocks, which
 * otherwise grows during sustained ingest, and DuckDB evicts or spills to stay under it.
 */
export async function applyMemoryLimit(
  connection: DuckDBConnection,
  bytes: number | null,
): Promise<void> {
  if (bytes === null) return;
  await connection.run(`SET memory_limit = '${Math.floor(bytes)}B'`);
}

function useCatalogOnConnect(instance: DuckDBInstance, catalog: string): void {
  const connect = instance.connect.bind(instance);
  instance.connect = async (): Promise<DuckDBConnection> => {
    const connection = await connect();
    await connection.run(`USE ${catalog}`);
    return connection;
  };
}
