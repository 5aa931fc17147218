import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillAppender } from '../../src/store/duckdb/appender-values.ts';
import { isOutOfMemoryError } from '../../src/store/duckdb/invalidation.ts';

async function count(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll('SELECT count(*) FROM notes');
  return Number(reader.getRows()[0]![0]);
}

describe('appender that fails', () => {
  let dataDir: string;
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-fill-appender-'));
    instance = await DuckDBInstance.create(join(dataDir, 'notes.duckdb'));
    connection = await instance.connect();
    await connection.run('CREATE TABLE notes (body VARCHAR)');
  });
  afterEach(() => {
    connection.closeSync();
    instance.closeSync();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('throws the memory error, not the abort', async () => {
    await connection.run("SET memory_limit = '100KB'");
    await connection.run('BEGIN TRANSACTION');
    const body = 'x'.repeat(1024);
    const failure = fillAppender(connection, 'notes', (appender) => {
      for (let i = 0; i < 4096; i++) {
        appender.appendVarchar(body);
        appender.endRow();
      }
    });
    const error = await failure.then(
      () => null,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(/^Failed to append: could not allocate block of size/);
    expect(isOutOfMemoryError(error)).toBe(true);
    await connection.run('ROLLBACK');
    expect(await count(connection)).toBe(0);
  });
});
