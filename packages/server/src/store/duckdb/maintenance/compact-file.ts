import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  createCryptoInstance,
  encryptedAttachOptions,
  explainOpenError,
  sqlString,
  type DuckDbEncryption,
} from '../../../crypto/duckdb-encryption.ts';

/** File sizes around one compaction, in bytes. */
export interface CompactionResult {
  path: string;
  beforeBytes: number;
  afterBytes: number;
}

/** Opens an instance that can attach the file: plain, or with the key when it is encrypted. */
async function createInstance(encryption: DuckDbEncryption | null): Promise<DuckDBInstance> {
  return encryption === null ? DuckDBInstance.create(':memory:') : createCryptoInstance(encryption);
}

function attachOptions(encryption: DuckDbEncryption | null, readOnly: boolean): string {
  if (encryption === null) return readOnly ? '(READ_ONLY)' : '';
  const options = encryptedAttachOptions(encryption);
  return readOnly ? options.replace(/^\(/, '(READ_ONLY, ') : options;
}

/** Attaches the file once so DuckDB replays its WAL, then checkpoints. Fails while another process has the file open. */
async function checkpointFile(path: string, encryption: DuckDbEncryption | null): Promise<void> {
  const instance = await createInstance(encryption);
  try {
    const connection = await instance.connect();
    try {
      await connection.run(
        `ATTACH ${sqlString(path)} AS source_db ${attachOptions(encryption, false)}`,
      );
    } catch (error) {
      throw explainOpenError(path, error, encryption !== null);
    }
    await connection.run('CHECKPOINT source_db');
    await connection.run('DETACH source_db');
    connection.closeSync();
  } finally {
    instance.closeSync();
  }
}

/** Copies the live data. The target is encrypted with the same key as the source. */
async function copyDatabase(
  sourcePath: string,
  targetPath: string,
  encryption: DuckDbEncryption | null,
): Promise<void> {
  const instance = await createInstance(encryption);
  try {
    const connection = await instance.connect();
    await connection.run(
      `ATTACH ${sqlString(sourcePath)} AS source_db ${attachOptions(encryption, true)}`,
    );
    await connection.run(
      `ATTACH ${sqlString(targetPath)} AS target_db ${attachOptions(encryption, false)}`,
    );
    await connection.run('COPY FROM DATABASE source_db TO target_db');
    await connection.run('DETACH source_db');
    await connection.run('DETACH target_db');
    connection.closeSync();
  } finally {
    instance.closeSync();
  }
}

/**
 * Rewrites `<dataDir>/<fileName>` with only its live data: DuckDB reuses the
 * blocks that deletes free but never returns them to the file system, and
 * deleted rows can stay readable in those blocks. The live data is copied into
 * a new file (`COPY FROM DATABASE`), which then replaces the old one. No other
 * process may have the file open.
 */
export async function compactDuckDbFile(
  dataDir: string,
  fileName: string,
  encryption: DuckDbEncryption | null = null,
): Promise<CompactionResult> {
  const path = join(dataDir, fileName);
  const compactPath = `${path}.compact`;
  const previousPath = `${path}.before-compact`;
  await checkpointFile(path, encryption);
  const beforeBytes = statSync(path).size;
  rmSync(compactPath, { force: true });
  await copyDatabase(path, compactPath, encryption);
  renameSync(path, previousPath);
  renameSync(compactPath, path);
  rmSync(previousPath, { force: true });
  if (existsSync(`${previousPath}.wal`)) rmSync(`${previousPath}.wal`, { force: true });
  return { path, beforeBytes, afterBytes: statSync(path).size };
}
