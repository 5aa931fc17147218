import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckDbInstanceOf, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { LimitedCheckpoints } from '../../src/store/duckdb/limited-checkpoints.ts';
import { openStoreFile } from '../../src/store/duckdb/open-store-file.ts';
import { interceptDuckDbRun, interceptMaintenanceRun } from '../helpers/fault-injection.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

const MIB = 1024 * 1024;
const LIMIT_BYTES = 64 * MIB;

/** Retention cutoffs that remove every span and keep everything else. */
const RETAIN_NOTHING_BEFORE_2100 = {
  spansBeforeUnixNano: BigInt(Date.UTC(2100, 0, 1)) * 1_000_000n,
  contentBeforeUnixNano: null,
  metricsBeforeUnixNano: null,
  logsBeforeUnixNano: null,
  scoresBeforeUnixNano: null,
};

/** Polls `condition` every 50 ms until it holds, for at most `timeoutMs`. */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function setting(connection: DuckDBConnection, name: string): Promise<string> {
  const reader = await connection.runAndReadAll(`SELECT current_setting('${name}')`);
  return String(reader.getRows()[0]![0]);
}

/** Returns DuckDB's memory limit in MiB, which it reports as text such as `227.7 MiB`. */
async function limitMiB(connection: DuckDBConnection): Promise<number> {
  const [amount, unit] = (await setting(connection, 'memory_limit')).split(' ');
  const scale = { MiB: 1, GiB: 1024 }[unit!];
  if (scale === undefined)
    throw new Error(`invalid memory_limit unit ${unit}: expected MiB or GiB`);
  return Number(amount) * scale;
}

/** Returns the memory of DuckDB's indexes in MiB. */
async function indexMiB(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(
    "SELECT memory_usage_bytes FROM duckdb_memory() WHERE tag = 'ART_INDEX'",
  );
  return Number(reader.getRows()[0]![0]) / MIB;
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
    // A small insert goes to the WAL, while DuckDB writes large ones straight into the file.
    await connection.run("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
    expect(checkpoints.due()).toBe(true);
    await checkpoints.withLimitLifted(connection, () => connection.run('CHECKPOINT'));
    expect(checkpoints.due()).toBe(false);
  });

  it('spaces tries over the limit', async () => {
    await open(LIMIT_BYTES);
    const checkpoints = await LimitedCheckpoints.open(connection, path, LIMIT_BYTES);
    await checkpoints.withLimitLifted(connection, async () => {
      await connection.run(
        "CREATE TABLE t AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(1500000)",
      );
      await connection.run('CREATE INDEX t_id ON t (id)');
    });
    expect(checkpoints.overLimitReason()).not.toBeNull();
    // The checkpoint below writes the index to the file, and DuckDB may then evict it.
    const liftedMiB = (await indexMiB(connection)) + 128;
    const statements: string[] = [];
    const run = connection.run.bind(connection);
    connection.run = ((sql: string, ...rest: unknown[]) => {
      statements.push(sql);
      return (run as (sql: string, ...rest: unknown[]) => ReturnType<typeof run>)(sql, ...rest);
    }) as typeof connection.run;
    await checkpoints.withLimitLifted(connection, () => connection.run('CHECKPOINT'));
    await checkpoints.retryRestore(connection);
    // Within 30 seconds of the failed try, only the index is read again: it has not grown, so
    // the lifted limit stays as it is.
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/FROM duckdb_memory\(\) WHERE tag = 'ART_INDEX'$/);
    expect(statements[1]).toBe('CHECKPOINT');
    expect(await limitMiB(connection)).toBeCloseTo(liftedMiB, 0);
  });

  it('retries a restore that failed otherwise', async () => {
    await open(LIMIT_BYTES);
    const reported: string[] = [];
    const checkpoints = await LimitedCheckpoints.open(
      connection,
      path,
      LIMIT_BYTES,
      {},
      (error, what) => reported.push(`${what}: ${String(error)}`),
    );
    // This task leaves its transaction aborted, so DuckDB rejects the SET of the limit.
    await checkpoints.withLimitLifted(connection, async () => {
      await connection.run('BEGIN TRANSACTION');
      await connection.run("SELECT error('the task failed')").catch(() => undefined);
    });
    expect(checkpoints.overLimitReason()).toBeNull();
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/^setting the configured memory limit again failed .*aborted/);
    const probe = await instance!.connect();
    expect(await setting(probe, 'memory_limit')).toBe('192.0 MiB');

    await connection.run('ROLLBACK');
    await checkpoints.retryRestore(connection);
    expect(await setting(probe, 'memory_limit')).toBe('64.0 MiB');
    probe.closeSync();
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
      /^DuckDB holds more than the memory limit of 64 MiB after a commit or checkpoint, .*could not free up enough memory.*Raise --memory-limit/,
    );
    // The index of about 100 MiB is larger than the limit, so it replaces the limit in the sum.
    expect(await limitMiB(connection)).toBeCloseTo((await indexMiB(connection)) + 128, 0);

    await connection.run('DROP TABLE t');
    await checkpoints.retryRestore(connection);
    expect(checkpoints.overLimitReason()).toBeNull();
    expect(await setting(connection, 'memory_limit')).toBe('64.0 MiB');
  });
});

describe('lifted limit and the index', () => {
  let dataDir: string;
  let instance: DuckDBInstance | null = null;
  let connection: DuckDBConnection;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-lifted-index-'));
  });

  afterEach(() => {
    connection?.closeSync();
    instance?.closeSync();
    instance = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lifts again after a failed restore', async () => {
    const path = join(dataDir, 'foghorn.duckdb');
    instance = await openStoreFile(path, null, LIMIT_BYTES);
    connection = await instance.connect();
    const checkpoints = await LimitedCheckpoints.open(connection, path, LIMIT_BYTES, {
      restoreRetryMs: 0,
    });
    // An index larger than the limit exists before the lift, so the lift does not grow it.
    await connection.run("SET memory_limit = '1GB'");
    await connection.run(
      "CREATE TABLE t AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(1500000)",
    );
    await connection.run('CREATE INDEX t_id ON t (id)');
    const liftedMiB = (await indexMiB(connection)) + 128;
    await checkpoints.withLimitLifted(connection, async () => undefined);
    // The failed SET of 64 MiB stays in DuckDB's setting, so the lifted limit is set again.
    expect(checkpoints.overLimitReason()).not.toBeNull();
    expect(await limitMiB(connection)).toBeCloseTo(liftedMiB, 0);
  });

  it('follows the index under a held lift', async () => {
    const path = join(dataDir, 'foghorn.duckdb');
    instance = await openStoreFile(path, null, null);
    connection = await instance.connect();
    await connection.run(
      "CREATE TABLE t AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(300000)",
    );
    await connection.run('CREATE INDEX t_id ON t (id)');
    const other = await instance.connect();
    const checkpoints = await LimitedCheckpoints.open(connection, path, 16 * MIB, {
      minLiftBytes: 16 * MIB,
      restoreRetryMs: 0,
    });
    try {
      // A long task runs lifted on one connection, as retention does, while commits on
      // another connection grow the index.
      await checkpoints.withLimitLifted(other, async () => {
        for (let batch = 0; batch < 4; batch++) {
          await checkpoints.withLimitLifted(connection, async () => {
            await connection.run('BEGIN TRANSACTION');
            await connection.run(
              `INSERT INTO t SELECT 'batch-${batch}-' || md5(range::VARCHAR) FROM range(100000)`,
            );
            await connection.run('COMMIT');
          });
        }
        // The next task, such as a checkpoint, runs with the index grown by the inserts.
        await checkpoints.withLimitLifted(connection, async () => {
          expect(await limitMiB(connection)).toBeGreaterThanOrEqual(
            (await indexMiB(connection)) + 15,
          );
        });
      });
      const reader = await connection.runAndReadAll('SELECT count(*) FROM t');
      expect(reader.getRows()[0]![0]).toBe(700_000n);
    } finally {
      other.closeSync();
    }
  });

  it('follows an index above it', async () => {
    const path = join(dataDir, 'foghorn.duckdb');
    instance = await openStoreFile(path, null, null);
    connection = await instance.connect();
    await connection.run(
      "CREATE TABLE t AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(600000)",
    );
    await connection.run('CREATE INDEX t_id ON t (id)');
    const limitBytes = 16 * MIB;
    // Twice the limit is 32 MiB, less than the index of about 43 MiB that each insert extends.
    const checkpoints = await LimitedCheckpoints.open(connection, path, limitBytes, {
      minLiftBytes: 16 * MIB,
      restoreRetryMs: 0,
    });
    await checkpoints.withLimitLifted(connection, async () => {
      await connection.run('BEGIN TRANSACTION');
      await connection.run(
        "INSERT INTO t SELECT 'more-' || md5(range::VARCHAR) FROM range(100000)",
      );
      await connection.run('COMMIT');
    });
    const reader = await connection.runAndReadAll('SELECT count(*) FROM t');
    expect(reader.getRows()[0]![0]).toBe(700_000n);

    // The configured limit cannot hold the index, so the lifted one stays: index plus 16 MiB.
    expect(checkpoints.overLimitReason()).toMatch(
      /^DuckDB holds more than the memory limit of 16 MiB after a commit or checkpoint, so it runs with \d+ MiB /,
    );
    const liftedMiB = Number(/runs with (\d+) MiB/.exec(checkpoints.overLimitReason()!)![1]);
    const index = await indexMiB(connection);
    expect(index).toBeGreaterThan(32);
    expect(liftedMiB).toBeGreaterThanOrEqual(Math.floor(index + 16));
    expect(liftedMiB).toBeLessThanOrEqual(Math.ceil(index + 16));
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

  it('restores after a failed position update', async () => {
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    const probe = await duckDbInstanceOf(store)!.connect();
    const writer = (store as unknown as { writer: { connection: DuckDBConnection } }).writer;
    let failures = 0;
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql.startsWith('UPDATE ingest_log_position') && failures === 0) {
        failures += 1;
        // DuckDB runs a failing statement, which aborts the open transaction.
        return writer.connection.run("SELECT error('the position update failed')");
      }
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 4));
      expect(await store.countSpans()).toBe(4);
      expect(failures).toBe(1);
      // The limit is set again once the lifted commit ends, just after the count returns.
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The aborted transaction rolls back before the limit is set again, so the SET succeeds.
      expect(store.loadStall!()).toBeNull();
      expect(await setting(probe, 'memory_limit')).toBe('64.0 MiB');
    } finally {
      probe.closeSync();
      await store.close();
    }
  });

  it('backfills rollups at open lifted', async () => {
    const first = await openDuckDbStore(dataDir);
    await first.writeSpans(llmCalls(1, 5));
    expect(await first.countSpans()).toBe(5);
    await first.close();
    // The rollup tables are emptied, as after a release that dropped them, so the next open backfills them.
    const raw = await DuckDBInstance.create(join(dataDir, 'foghorn.duckdb'));
    const rawConnection = await raw.connect();
    for (const table of ['span_rollup_1m', 'span_rollup_1h', 'span_latency_1m', 'span_latency_1h'])
      await rawConnection.run(`DELETE FROM ${table}`);
    rawConnection.closeSync();
    raw.closeSync();

    const limits: string[] = [];
    const run = DuckDBConnection.prototype.run;
    DuckDBConnection.prototype.run = async function (this: DuckDBConnection, ...args) {
      if (String(args[0]).startsWith('INSERT INTO span_rollup_1m')) {
        limits.push(await setting(this, 'memory_limit'));
      }
      return run.apply(this, args);
    };
    let store: Awaited<ReturnType<typeof openDuckDbStore>>;
    try {
      store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    } finally {
      DuckDBConnection.prototype.run = run;
    }
    try {
      expect(limits).toEqual(['192.0 MiB']);
      const groups = await store.summary(
        { projectId: 'default', fromUnixMs: 0, toUnixMs: Date.now() + 86_400_000, filters: {} },
        'model',
      );
      expect(groups.map((group) => group.requests)).toEqual([5]);
    } finally {
      await store.close();
    }
  });

  it('reports a failed retention commit', async () => {
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    const maintenance = await interceptMaintenanceRun(store, async (sql, run) => {
      if (sql === 'COMMIT') {
        // DuckDB ends the transaction when its COMMIT fails, as here.
        await maintenance.run('ROLLBACK');
        throw new Error('TransactionContext Error: Failed to commit: out of memory');
      }
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 3));
      await expect(store.applyRetention(RETAIN_NOTHING_BEFORE_2100)).rejects.toThrow(
        /Failed to commit: out of memory/,
      );
      expect(await store.countSpans()).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('lifts commits of reloaded records', async () => {
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    const probe = await duckDbInstanceOf(store)!.connect();
    const limits: string[] = [];
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT') {
        limits.push(await setting(probe, 'memory_limit'));
        // The first commit fails, so its record loads again on its own.
        if (limits.length === 1)
          throw new Error('Conversion Error: a value this column cannot hold');
      }
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 4));
      expect(await store.countSpans()).toBe(4);
      expect(limits).toEqual(['192.0 MiB', '192.0 MiB']);
    } finally {
      probe.closeSync();
      await store.close();
    }
  });

  it('lifts every writer commit', async () => {
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    const probe = await duckDbInstanceOf(store)!.connect();
    const limitsAtCommit: string[] = [];
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT') limitsAtCommit.push(await setting(probe, 'memory_limit'));
      return run();
    });
    try {
      // A child before its root makes the attribution fill commit an UPDATE of its own.
      const [root, child] = llmCalls(1, 2);
      await store.writeSpans([{ ...child!, parentSpanId: root!.spanId, tenant: null }]);
      expect(await store.countSpans()).toBe(1);
      await store.writeSpans([{ ...root!, tenant: 'acme' }]);
      expect(await store.countSpans()).toBe(2);
      await (store as unknown as { compactRollups(): Promise<void> }).compactRollups();
      expect(limitsAtCommit.length).toBeGreaterThanOrEqual(3);
      expect(limitsAtCommit.filter((limit) => limit !== '192.0 MiB')).toEqual([]);
      expect(await setting(probe, 'memory_limit')).toBe('64.0 MiB');
      expect(store.loadStall!()).toBeNull();
    } finally {
      probe.closeSync();
      await store.close();
    }
  });

  it('lifts retention commits', async () => {
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    const probe = await duckDbInstanceOf(store)!.connect();
    const limits: string[] = [];
    await interceptMaintenanceRun(store, async (sql, run) => {
      if (sql === 'COMMIT' || sql === 'CHECKPOINT')
        limits.push(`${sql} at ${await setting(probe, 'memory_limit')}`);
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 3));
      await store.applyRetention(RETAIN_NOTHING_BEFORE_2100);
      expect(await store.countSpans()).toBe(0);
      expect(limits).toContain('COMMIT at 192.0 MiB');
      expect(limits.filter((entry) => !entry.endsWith('192.0 MiB'))).toEqual([]);
    } finally {
      probe.closeSync();
      await store.close();
    }
  });

  it('checkpoints logs without spans', async () => {
    const thresholdBytes = 256 * 1024;
    const store = await openDuckDbStore(dataDir, {
      memoryLimitBytes: LIMIT_BYTES,
      checkpointTuning: { thresholdBytes, checkIntervalMs: 100 },
    });
    const wal = join(dataDir, 'foghorn.duckdb.wal');
    const walBytes = (): number => statSync(wal, { throwIfNoEntry: false })?.size ?? 0;
    try {
      for (let batch = 0; batch < 20; batch++) {
        const nowNs = BigInt(Date.now()) * 1_000_000n;
        await store.writeLogRecords(
          'default',
          Array.from({ length: 100 }, (_, index) => ({
            timeUnixNano: nowNs + BigInt(index),
            observedTimeUnixNano: nowNs,
            severityNumber: 9,
            severityText: 'INFO',
            body: { content: `message ${batch}-${index} ${'x'.repeat(300)}` },
            attributes: {},
            resourceAttributes: { 'service.name': 'api' },
            serviceName: 'api',
            scopeName: 'test',
            traceId: '',
            spanId: '',
            eventName: '',
          })),
        );
      }
      expect(walBytes()).toBeGreaterThan(thresholdBytes);
      // No span arrives: the writer's timer finds the WAL due and checkpoints it.
      await waitUntil(() => walBytes() < thresholdBytes, 20_000);
      expect(walBytes()).toBeLessThan(thresholdBytes);
    } finally {
      await store.close();
    }
  });

  it('retries the limit while idle', async () => {
    const store = await openDuckDbStore(dataDir, {
      memoryLimitBytes: LIMIT_BYTES,
      // No checkpoint: one would write the index below to the file, and DuckDB could evict it.
      checkpointTuning: { restoreRetryMs: 100, checkIntervalMs: 100, thresholdBytes: 2 ** 40 },
    });
    const probe = await duckDbInstanceOf(store)!.connect();
    try {
      // An index that DuckDB cannot evict before a checkpoint, built while the limit is raised by hand.
      await probe.run("SET memory_limit = '1GB'");
      await probe.run(
        "CREATE TABLE big AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(1500000)",
      );
      await probe.run('CREATE INDEX big_id ON big (id)');
      await store.writeSpans(llmCalls(1, 3));
      expect(await store.countSpans()).toBe(3);
      // The limit is set again after the commit that let the count return, so this waits for it.
      await waitUntil(() => store.loadStall!() !== null, 5000);
      expect(store.loadStall!()).toMatch(/^DuckDB holds more than the memory limit of 64 MiB/);

      await probe.run('DROP TABLE big');
      await waitUntil(() => store.loadStall!() === null, 20_000);
      expect(store.loadStall!()).toBeNull();
      expect(await setting(probe, 'memory_limit')).toBe('64.0 MiB');
    } finally {
      probe.closeSync();
      await store.close();
    }
  });
});
