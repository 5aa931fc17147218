import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigError } from '../errors.ts';
import {
  createCryptoInstance,
  encryptedAttachOptions,
  explainOpenError,
  sqlString,
  type DuckDbEncryption,
} from './duckdb-encryption.ts';

/** Row counts per table of the plain file and of its encrypted copy. */
export interface EncryptResult {
  path: string;
  tables: number;
  rows: number;
}

/**
 * Encrypts the plain DuckDB file `<dataDir>/<fileName>` in place: its live data is
 * copied into a new encrypted file, the row counts of every table are compared,
 * and the new file replaces the old one, which is deleted with its WAL. No
 * other process may have the file open.
 */
export async function encryptDuckDbFile(
  dataDir: string,
  fileName: string,
  encryption: DuckDbEncryption,
): Promise<EncryptResult> {
  const path = join(dataDir, fileName);
  const encryptedPath = `${path}.encrypting`;
  if (!existsSync(path))
    throw new ConfigError(`${path} does not exist; pass the --data-dir of a Foghorn server`);
  rmSync(encryptedPath, { force: true });
  rmSync(`${encryptedPath}.wal`, { force: true });

  const counts = await copyIntoEncryptedFile(path, encryptedPath, encryption);

  rmSync(`${path}.wal`, { force: true });
  renameSync(encryptedPath, path);
  return { path, tables: counts.tables, rows: counts.rows };
}

async function copyIntoEncryptedFile(
  sourcePath: string,
  targetPath: string,
  encryption: DuckDbEncryption,
): Promise<{ tables: number; rows: number }> {
  await checkpointPlainFile(sourcePath);
  const instance = await createCryptoInstance(encryption);
  try {
    const connection = await instance.connect();
    await connection.run(`ATTACH ${sqlString(sourcePath)} AS plain_db (READ_ONLY)`);
    await connection.run(
      `ATTACH ${sqlString(targetPath)} AS encrypted_db ${encryptedAttachOptions(encryption)}`,
    );
    await connection.run('COPY FROM DATABASE plain_db TO encrypted_db');
    const source = await tableRowCounts(connection, 'plain_db');
    const target = await tableRowCounts(connection, 'encrypted_db');
    if (JSON.stringify(source) !== JSON.stringify(target)) {
      throw new Error(
        `the encrypted copy ${targetPath} differs from ${sourcePath} in its row counts; the plain file is left unchanged`,
      );
    }
    await connection.run('DETACH plain_db');
    await connection.run('DETACH encrypted_db');
    connection.closeSync();
    return { tables: source.length, rows: source.reduce((sum, [, rows]) => sum + rows, 0) };
  } finally {
    instance.closeSync();
  }
}

/** Opens the plain file once so DuckDB replays its WAL into it, and checkpoints. */
async function checkpointPlainFile(path: string): Promise<void> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (error) {
    const explained = explainOpenError(path, error, false);
    if (/encrypted/.test(explained.message)) {
      throw new ConfigError(`${path} is already encrypted; nothing to do`);
    }
    if (/lock/i.test(explained.message)) {
      throw new ConfigError(
        `${path} is open in another process; stop the Foghorn server, then run encrypt again`,
      );
    }
    throw explained;
  }
  try {
    const connection = await instance.connect();
    await connection.run('CHECKPOINT');
    connection.closeSync();
  } finally {
    instance.closeSync();
  }
}

async function tableRowCounts(
  connection: Awaited<ReturnType<DuckDBInstance['connect']>>,
  catalog: string,
): Promise<[string, number][]> {
  const tables = await connection.runAndReadAll(
    `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ${sqlString(catalog)} ORDER BY schema_name, table_name`,
  );
  const counts: [string, number][] = [];
  for (const [schema, table] of tables.getRows()) {
    const name = `${catalog}."${String(schema)}"."${String(table)}"`;
    const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${name}`);
    counts.push([`${String(schema)}.${String(table)}`, Number(reader.getRows()[0]?.[0] ?? 0)]);
  }
  return counts;
}

/** Formats an encryption result as one line. */
export function formatEncryptResult(result: EncryptResult): string {
  return `encrypted ${result.path}: ${result.tables} tables, ${result.rows} rows copied; the plain file is deleted\n`;
}
