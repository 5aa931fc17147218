import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LimitedCheckpoints } from '../../src/store/duckdb/limited-checkpoints.ts';
import { openStoreFile } from '../../src/store/duckdb/open-store-file.ts';

const MIB = 1024 * 1024;
const LIMIT_BYTES = 64 * MIB;

async function setting(connection: DuckDBConnection, name: string): Promise<string> {
  const reader = await connection.runAndReadAll(`SELECT current_setting('${name}')`);
  return String(reader.getRows()[0]![0]);
}

describe('restore over limit', () => {
  let dataDir: string;
  let instance: DuckDBInstance | null = null;
  let connection: DuckDBConnection;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'scratch-v-'));
  });
  afterEach(() => {
    connection?.closeSync();
    instance?.closeSync();
    instance = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('second failed restore keeps lifted limit', async () => {
    const path = join(dataDir, 'foghorn.duckdb');
    instance = await openStoreFile(path, null, LIMIT_BYTES);
    connection = await instance.connect();
    const checkpoints = await LimitedCheckpoints.open(connection, path, LIMIT_BYTES, {
      restoreRetryMs: 0,
    });
    await checkpoints.withLimitLifted(connection, async () => {
      await connection.run(
        "CREATE TABLE t AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(1500000)",
      );
      await connection.run('CREATE INDEX t_id ON t (id)');
    });
    expect(checkpoints.overLimitReason()).not.toBeNull();
    const afterFirst = await setting(connection, 'memory_limit');
    // A second lifted task with an unchanged index, such as a small commit.
    const inside: string[] = [];
    await checkpoints.withLimitLifted(connection, async () => {
      inside.push(await setting(connection, 'memory_limit'));
    });
    const afterSecond = await setting(connection, 'memory_limit');
    await checkpoints.withLimitLifted(connection, async () => {
      inside.push(await setting(connection, 'memory_limit'));
    });
    console.log({ afterFirst, afterSecond, inside, reason: checkpoints.overLimitReason() });
    expect(afterSecond).toBe(afterFirst);
    expect(inside[1]).toBe(afterFirst);
  });
});
