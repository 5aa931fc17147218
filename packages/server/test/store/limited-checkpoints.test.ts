import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckDbInstanceOf, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { LimitedCheckpoints } from '../../src/store/duckdb/limited-checkpoints.ts';
import { openStoreFile } from '../../src/store/duckdb/open-store-file.ts';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

const LIMIT_BYTES = 64 * 1024 * 1024;

async function setting(connection: DuckDBConnection, name: string): Promise<string> {
  const reader = await connection.runAndReadAll(`SELECT current_setting('${name}')`);
  return String(reader.getRows()[0]![0]);
}

describe('limited checkpoints', () => {
  let dataDir: string;
  let path: string;
  let instance: DuckDBInstance | null = null;
  let connection: DuckDBConnection;

  async function open(limitBytes: number | null): Promise<void> {
    instance = await openStoreFile(path, null, limitBytes);
    connection = await instance.connect();
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-limited-checkpoints-'));
    path = join(dataDir, 'foghorn.duckdb');
  });

  afterEach(() => {
    connection?.closeSync();
    instance?.closeSync();
    instance = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns automatic checkpoints off', async () => {
    await open(LIMIT_BYTES);
    expect(await setting(connection, 'checkpoint_threshold')).toBe('244.1 MiB');
    await LimitedCheckpoints.open(connection, path, LIMIT_BYTES);
    expect(await setting(connection, 'checkpoint_threshold')).toBe('909.4 TiB');
  });

  it('keeps them without a limit', async () => {
    await open(null);
    const checkpoints = await LimitedCheckpoints.open(connection, path, null, {
      thresholdBytes: 1,
    });
    await connection.run('CREATE TABLE t AS SELECT range AS i FROM range(1000)');
    expect(await setting(connection, 'checkpoint_threshold')).toBe('244.1 MiB');
    expect(checkpoints.due()).toBe(false);
  });

  it('lifts the limit during a task', async () => {
    await open(LIMIT_BYTES);
    const checkpoints = await LimitedCheckpoints.open(connection, path, LIMIT_BYTES);
    const other = await instance!.connect();
    const seen: string[] = [];
    await checkpoints.withLimitLifted(connection, async () => {
      seen.push(await setting(other, 'memory_limit'));
      // A second task that ends first leaves the limit lifted for the one still running.
      await checkpoints.withLimitLifted(other, async () => undefined);
      seen.push(await setting(other, 'memory_limit'));
    });
    seen.push(await setting(other, 'memory_limit'));
    other.closeSync();
    // Twice the limit, but at least 128 MiB above it.
    expect(seen[0]).toBe('192.0 MiB');
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe('64.0 MiB');
    expect(checkpoints.overLimitReason()).toBeNull();
  });

  it('becomes due with the WAL', async () => {
    await open(LIMIT_BYTES);
    const checkpoints = await LimitedCheckpoints.open(connection, path, LIMIT_BYTES, {
      thresholdBytes: 1,
    });
    await connection.run('CREATE TABLE t (i BIGINT, s VARCHAR)');
    await connection.run('CHECKPOINT');
    expect(checkpoints.due()).toBe(false);
    // A small insert goes to the WAL; DuckDB writes large ones straight into the file.
    await connection.run("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
    expect(checkpoints.due()).toBe(true);
    await checkpoints.withLimitLifted(connection, () => connection.run('CHECKPOINT'));
    expect(checkpoints.due()).toBe(false);
  });

  it('reports a limit that no longer fits', async () => {
    await open(LIMIT_BYTES);
    const checkpoints = await LimitedCheckpoints.open(connection, path, LIMIT_BYTES, {
      restoreRetryMs: 0,
    });
    // An index that DuckDB keeps in memory and cannot evict, larger than the limit.
    await checkpoints.withLimitLifted(connection, async () => {
      await connection.run(
        "CREATE TABLE t AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(1500000)",
      );
      await connection.run('CREATE INDEX t_id ON t (id)');
    });
    expect(checkpoints.overLimitReason()).toMatch(
      /^DuckDB holds more than the memory limit of 64 MiB after a checkpoint, .*could not free up enough memory.*Raise --memory-limit/,
    );
    expect(await setting(connection, 'memory_limit')).toBe('192.0 MiB');

    await connection.run('DROP TABLE t');
    await checkpoints.retryRestore(connection);
    expect(checkpoints.overLimitReason()).toBeNull();
    expect(await setting(connection, 'memory_limit')).toBe('64.0 MiB');
  });
});

describe('span store under a memory limit', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-limited-store-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('commits with the limit lifted', async () => {
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    const probe = await duckDbInstanceOf(store)!.connect();
    const limitsAtCommit: string[] = [];
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT') limitsAtCommit.push(await setting(probe, 'memory_limit'));
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 3));
      expect(await store.countSpans()).toBe(3);
      expect(limitsAtCommit.length).toBeGreaterThan(0);
      expect(limitsAtCommit.filter((limit) => limit === '64.0 MiB')).toEqual([]);
      expect(await setting(probe, 'memory_limit')).toBe('64.0 MiB');
      expect(store.loadStall!()).toBeNull();
    } finally {
      probe.closeSync();
      await store.close();
    }
  });
});
