import type { Logger } from 'pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import {
  compactDuckDbFile,
  type CompactionResult,
} from '../store/duckdb/maintenance/compact-file.ts';
import { DUCKDB_FILE_NAME } from '../store/duckdb/duckdb-store.ts';
import type { DuckDbEncryption } from '../crypto/duckdb-encryption.ts';

/**
 * Compacts the data directory's DuckDB file; the server must not be running.
 * Throws a ConfigError naming the file when it is missing or still open.
 */
export async function compactDataDir(
  dataDir: string,
  encryption: DuckDbEncryption | null = null,
): Promise<CompactionResult> {
  const path = join(dataDir, DUCKDB_FILE_NAME);
  if (!existsSync(path))
    throw new ConfigError(`${path} does not exist; pass the --data-dir of a Foghorn server`);
  try {
    return await compactDuckDbFile(dataDir, DUCKDB_FILE_NAME, encryption);
  } catch (error) {
    const message = (error as Error).message;
    if (/lock/i.test(message)) {
      throw new ConfigError(
        `${path} is open in another process; stop the Foghorn server, then run compact again (${message})`,
      );
    }
    throw error;
  }
}

/** Formats a compaction result as one line, sizes in bytes. */
export function formatCompaction(result: CompactionResult): string {
  const savedBytes = result.beforeBytes - result.afterBytes;
  return `compacted ${result.path}: ${result.beforeBytes} bytes before, ${result.afterBytes} bytes after, ${savedBytes} bytes freed\n`;
}

/** Compacts the file before the store opens it, when it exists, and logs the sizes. */
export async function compactAtStartup(
  dataDir: string,
  logger: Logger,
  encryption: DuckDbEncryption | null = null,
): Promise<void> {
  if (!existsSync(join(dataDir, DUCKDB_FILE_NAME))) return;
  const result = await compactDataDir(dataDir, encryption);
  logger.info(
    { path: result.path, beforeBytes: result.beforeBytes, afterBytes: result.afterBytes },
    'compacted the DuckDB file at startup',
  );
}
