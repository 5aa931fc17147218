import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** File sizes around one compaction, in bytes. */
export interface CompactionResult {
  path: string;
  beforeBytes: number;
  afterBytes: number;
}

function quoted(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** Opens the file once so DuckDB replays its WAL, and checkpoints; fails while another process holds the file. */
async function checkpointFile(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    await connection.run('CHECKPOINT');
    connection.closeSync();
  } finally {
    instance.closeSync();
  }
}

async function copyDatabase(sourcePath: string, targetPath: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    await connection.run(`ATTACH ${quoted(sourcePath)} AS source_db (READ_ONLY)`);
    await connection.run(`ATTACH ${quoted(targetPath)} AS target_db`);
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
): Promise<CompactionResult> {
  const path = join(dataDir, fileName);
  const compactPath = `${path}.compact`;
  const previousPath = `${path}.before-compact`;
  await checkpointFile(path);
  const beforeBytes = statSync(path).size;
  rmSync(compactPath, { force: true });
  await copyDatabase(path, compactPath);
  renameSync(path, previousPath);
  renameSync(compactPath, path);
  rmSync(previousPath, { force: true });
  if (existsSync(`${previousPath}.wal`)) rmSync(`${previousPath}.wal`, { force: true });
  return { path, beforeBytes, afterBytes: statSync(path).size };
}
