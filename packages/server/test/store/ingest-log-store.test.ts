import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import {
  INGEST_LOG_DIR_NAME,
  duckDbInstanceOf,
  openDuckDbStore,
} from '../../src/store/duckdb/duckdb-store.ts';
import { IngestLog } from '../../src/store/duckdb/ingest-log.ts';
import { isOutOfMemoryError } from '../../src/store/duckdb/invalidation.ts';
import type { Store } from '../../src/store/store.ts';
import { CALLS_START_MS, llmCalls } from '../helpers/llm-calls.ts';
import {
  COMMIT_OUT_OF_MEMORY,
  interceptDuckDbRun,
  raiseMemoryLimit,
} from '../helpers/fault-injection.ts';

const CRASH_SCRIPT = fileURLToPath(new URL('./helpers/crash-after-ack.ts', import.meta.url));
const START_MS = CALLS_START_MS;

const WINDOW = {
  projectId: 'default',
  fromUnixMs: START_MS - 3_600_000,
  toUnixMs: START_MS + 3_600_000,
  filters: {},
};

async function rolledUpRequests(store: Store): Promise<number> {
  const groups = await store.summary(WINDOW, 'model');
  return groups.reduce((sum, group) => sum + group.requests, 0);
}

/** Returns the rows of the store's open load transaction, or 0 when none is open. */
function openTransactionRows(store: Store): number {
  const writer = (store as unknown as { writer: { transaction: { rows: number } | null } }).writer;
  return writer.transaction?.rows ?? 0;
}

/** Runs V8's full collection, so finalizers of native handles such as appenders run. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`the condition did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const RETAIN_NOTHING_BEFORE_2030 = {
  spansBeforeUnixNano: BigInt(Date.UTC(2030, 0, 1)) * 1_000_000n,
  contentBeforeUnixNano: null,
  metricsBeforeUnixNano: null,
  logsBeforeUnixNano: null,
  scoresBeforeUnixNano: null,
};

const ERASURE = {
  projectId: 'default',
  userIds: ['u1'],
  userIdKeys: [],
  loggedUserId: 'u1',
  requestedBy: 'test',
  requestedAtUnixMs: Date.now(),
};

describe('ingest log in the DuckDB store', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-ingest-log-store-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps acknowledged spans across SIGKILL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_SCRIPT, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
    expect(signal, stderr).toBe('SIGKILL');
    expect(stdout).toBe('acknowledged 200\n');
    // The store had not committed them: the batches wait in the log.
    expect(readdirSync(join(dataDir, INGEST_LOG_DIR_NAME)).length).toBeGreaterThan(0);

    const store = await openDuckDbStore(dataDir);
    try {
      expect(await store.countSpans()).toBe(200);
      expect(await rolledUpRequests(store)).toBe(200);
      const trace = await store.getTrace('default', '3'.padStart(32, '0'));
      expect(trace.map((span) => span.tenant)).toEqual(Array(40).fill('acme'));
    } finally {
      await store.close();
    }
    // Loaded and committed, so the log is empty again.
    expect(readdirSync(join(dataDir, INGEST_LOG_DIR_NAME))).toEqual([]);
  });

  it('sets aside repeatedly rejected batch', async () => {
    const rejected: [number, string][] = [];
    const store = await openDuckDbStore(dataDir, {
      onRejectedRecord: (seq, path) => rejected.push([seq, path]),
    });
    let failing = true;
    let failures = 0;
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (failing && sql === 'COMMIT') {
        failures += 1;
        throw new Error('Conversion Error: a value this column cannot hold');
      }
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 3));
      expect(await store.countSpans()).toBe(0);
      // One failed group commit, then three loads of the batch on its own.
      expect(failures).toBe(4);
      expect(rejected).toHaveLength(1);
      const [seq, path] = rejected[0]!;
      expect(seq).toBe(1);
      expect(path).toBe(join(dataDir, INGEST_LOG_DIR_NAME, 'rejected', '0000000000000001.record'));
      const setAside = deserialize(readFileSync(path)) as CanonicalSpan[];
      expect(setAside.map((span) => span.spanId)).toEqual(
        llmCalls(1, 3).map((span) => span.spanId),
      );

      failing = false;
      await store.writeSpans(llmCalls(2, 5));
      expect(await store.countSpans()).toBe(5);
    } finally {
      await store.close();
    }
    const reopened = await openDuckDbStore(dataDir);
    try {
      expect(await reopened.countSpans()).toBe(5);
    } finally {
      await reopened.close();
    }
  });

  it('waits out the memory limit', async () => {
    const rejected: number[] = [];
    const store = await openDuckDbStore(dataDir, {
      onRejectedRecord: (seq) => rejected.push(seq),
    });
    const connection = await duckDbInstanceOf(store)!.connect();
    try {
      await connection.run("SET memory_limit = '1MB'");
      for (let trace = 1; trace <= 3; trace++) await store.writeSpans(llmCalls(trace, 512));
      // The read does not wait for the loader, and it returns the spans committed so far.
      expect(await store.countSpans()).toBe(0);
      expect(store.loadStall!()).toMatch(
        /^DuckDB reached its memory limit while loading ingest log record 1, .*allocate/,
      );
      // Erasure would leave the user's logged spans to load after it, so it waits for memory.
      await expect(store.eraseUser(ERASURE)).rejects.toThrow(
        'emptying the ingest log cannot run while DuckDB is at its memory limit: ingest log records 1 to 3 are not loaded yet',
      );
      // The stalled spans would load later with their old prices.
      const window = { projectId: 'default', fromUnixMs: 0, toUnixMs: START_MS + 86_400_000 };
      await expect(store.repriceSpans(window, () => null)).rejects.toThrow(
        're-pricing the stored spans cannot run while DuckDB is at its memory limit',
      );
      // Retention does not wait for the loader: it applies to the committed spans.
      expect((await store.applyRetention(RETAIN_NOTHING_BEFORE_2030)).spansDeleted).toBe(0);
      await connection.run("SET memory_limit = '1GB'");
      // Full collections while the loader retries finalize the appenders of the failed
      // loads, and none may flush its rows into the transaction open then.
      await waitUntil(() => {
        collectGarbage();
        return store.loadStall!() === null;
      }, 10_000);

      expect(await store.countSpans()).toBe(1536);
      const reader = await connection.runAndReadAll(
        'SELECT count(DISTINCT (trace_id, span_id)) FROM spans',
      );
      expect(Number(reader.getRows()[0]![0])).toBe(1536);
      expect(await rolledUpRequests(store)).toBe(1536);
      expect(rejected).toEqual([]);
      expect((await store.eraseUser(ERASURE)).counts.spans).toBe(0);
    } finally {
      connection.closeSync();
      await store.close();
    }
  });

  it('starts during a memory stall', async () => {
    const first = await openDuckDbStore(dataDir);
    const side = await duckDbInstanceOf(first)!.connect();
    await side.run("SET memory_limit = '1MB'");
    for (let trace = 1; trace <= 20; trace++) await first.writeSpans(llmCalls(trace, 600));
    expect(await first.countSpans()).toBe(0);
    side.closeSync();
    await first.close();

    // The replay of the logged records waits for memory without holding up the start.
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: 8 * 2 ** 20 });
    const connection = await duckDbInstanceOf(store)!.connect();
    try {
      expect(store.loadStall!()).toMatch(/^DuckDB reached its memory limit while loading/);
      await store.writeSpans(llmCalls(21, 5));
      await raiseMemoryLimit(store, 2 ** 30);
      await waitUntil(() => store.loadStall!() === null, 10_000);
      expect(await store.countSpans()).toBe(12_005);
      expect(await rolledUpRequests(store)).toBe(12_005);
    } finally {
      connection.closeSync();
      await store.close();
    }
  });

  /**
   * Logs `batches` (span counts, or null for a record that is no batch) and opens the store
   * with DuckDB's memory error on its first two updates of the log position. Returns the
   * store, which starts with its replay stalled.
   */
  async function openWithStalledReplay(batches: readonly (number | null)[]): Promise<Store> {
    await (await openDuckDbStore(dataDir)).close();
    const log = IngestLog.open(join(dataDir, INGEST_LOG_DIR_NAME), null, 0);
    for (const [index, count] of batches.entries()) {
      const payload =
        count === null ? Buffer.from('no batch') : serialize(llmCalls(index + 1, count));
      await log.append(payload);
    }
    await log.close();
    let failures = 2;
    const run = DuckDBConnection.prototype.run;
    DuckDBConnection.prototype.run = function (this: DuckDBConnection, sql: string, ...rest) {
      if (failures > 0 && sql.startsWith('UPDATE ingest_log_position')) {
        failures -= 1;
        const message =
          'Out of Memory Error: could not allocate block of size 256.0 KiB (7.6 MiB/7.6 MiB used)';
        return Promise.reject(new Error(message));
      }
      return run.call(this, sql, ...rest);
    } as typeof run;
    try {
      return await openDuckDbStore(dataDir);
    } finally {
      DuckDBConnection.prototype.run = run;
    }
  }

  /** Reopens the store and returns its stored spans. */
  async function countAfterReopen(): Promise<number> {
    const store = await openDuckDbStore(dataDir);
    try {
      return await store.countSpans();
    } finally {
      await store.close();
    }
  }

  /** Returns the traces of the reopened store in the order their spans were stored. */
  async function storedTraceOrder(): Promise<number[]> {
    const store = await openDuckDbStore(dataDir);
    const connection = await duckDbInstanceOf(store)!.connect();
    try {
      const reader = await connection.runAndReadAll(
        'SELECT trace_id FROM spans GROUP BY trace_id ORDER BY min(rowid)',
      );
      return reader.getRows().map((row) => parseInt(String(row[0]), 16));
    } finally {
      connection.closeSync();
      await store.close();
    }
  }

  it('replay stalls at a full row group', async () => {
    // The commit at a full row group (records 1 to 17) and then record 1 alone fail.
    const store = await openWithStalledReplay(Array(20).fill(500));
    try {
      expect(store.loadStall!()).toMatch(/while loading ingest log record 1, /);
      // Nothing after the stalled record may commit first, not even through maintenance.
      await store.rebuildRollups({ fromUnixMs: 0, toUnixMs: START_MS + 86_400_000 });
      await waitUntil(() => store.loadStall!() === null, 10_000);
      expect(await store.countSpans()).toBe(10_000);
    } finally {
      await store.close();
    }
    expect(await storedTraceOrder()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('replay stalls before a bad record', async () => {
    // The commit of records 1 to 3 before the record that is no batch, then record 1 alone fail.
    const store = await openWithStalledReplay([100, 100, 100, null, 100, 100]);
    try {
      expect(store.loadStall!()).toMatch(/while loading ingest log record 1, /);
      await waitUntil(() => store.loadStall!() === null, 10_000);
      expect(await store.countSpans()).toBe(500);
      expect(readdirSync(join(dataDir, INGEST_LOG_DIR_NAME, 'rejected'))).toEqual([
        '0000000000000004.record',
      ]);
    } finally {
      await store.close();
    }
    expect(await storedTraceOrder()).toEqual([1, 2, 3, 5, 6]);
  });

  it('maintenance skips a memory stall', async () => {
    const store = await openDuckDbStore(dataDir);
    const connection = await duckDbInstanceOf(store)!.connect();
    try {
      await connection.run("SET memory_limit = '1MB'");
      await store.writeSpans(llmCalls(1, 300));
      // Queued before the load fails: the rebuild runs on the committed spans, not after memory.
      const rebuild = store.rebuildRollups({ fromUnixMs: 0, toUnixMs: START_MS + 86_400_000 });
      const outcome = await Promise.race([
        rebuild.then(
          () => 'ended',
          // At 1 MB the rebuild's own query may run out of memory too, which also ends it.
          (error: unknown) => (isOutOfMemoryError(error) ? 'ended' : error),
        ),
        new Promise((resolve) => setTimeout(() => resolve('waiting for memory'), 3000)),
      ]);
      expect(outcome).toBe('ended');
      expect(store.loadStall!()).not.toBeNull();
      await connection.run("SET memory_limit = '1GB'");
      await waitUntil(() => store.loadStall!() === null, 10_000);
      expect(await rolledUpRequests(store)).toBe(300);
    } finally {
      connection.closeSync();
      await store.close();
    }
  });

  it('halts when the stalled log is unreadable', async () => {
    const logDir = join(dataDir, INGEST_LOG_DIR_NAME);
    const segments = (): string[] =>
      readdirSync(logDir)
        .filter((name) => name.endsWith('.log'))
        .sort();
    const first = await openDuckDbStore(dataDir);
    const side = await duckDbInstanceOf(first)!.connect();
    await side.run("SET memory_limit = '1MB'");
    for (let trace = 1; trace <= 10; trace++) await first.writeSpans(llmCalls(trace, 600));
    // The refused erasure still starts a new segment.
    await first.eraseUser(ERASURE).catch(() => undefined);
    for (let trace = 11; trace <= 20; trace++) await first.writeSpans(llmCalls(trace, 600));
    side.closeSync();
    await first.close();
    expect(segments()).toHaveLength(2);

    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: 8 * 2 ** 20 });
    const second = join(logDir, segments()[1]!);
    const connection = await duckDbInstanceOf(store)!.connect();
    try {
      expect(store.loadStall!()).not.toBeNull();
      // A directory in place of the segment makes reading it fail, as a disk error would.
      renameSync(second, `${second}.aside`);
      mkdirSync(second);
      // Acknowledged during the stall; it must not commit past the unread records.
      await store.writeSpans(llmCalls(21, 5));
      await raiseMemoryLimit(store, 2 ** 30);
      await waitUntil(() => store.writeBlocker!() !== null, 10_000);
      expect(store.writeBlocker!()).toMatch(/^reading the ingest log in .* failed/);
      expect(await store.countSpans()).toBe(6000);
    } finally {
      connection.closeSync();
      await store.close();
    }
    rmdirSync(second);
    renameSync(`${second}.aside`, second);
    expect(await countAfterReopen()).toBe(12_005);
  });

  it('closes during a memory stall', async () => {
    const store = await openDuckDbStore(dataDir);
    const connection = await duckDbInstanceOf(store)!.connect();
    try {
      await connection.run("SET memory_limit = '1MB'");
      await store.writeSpans(llmCalls(1, 512));
      expect(await store.countSpans()).toBe(0);
      expect(store.loadStall!()).not.toBeNull();
    } finally {
      connection.closeSync();
      // Returns without waiting for memory; the record stays in the log.
      await store.close();
    }
    const reopened = await openDuckDbStore(dataDir);
    try {
      expect(await reopened.countSpans()).toBe(512);
      expect(await rolledUpRequests(reopened)).toBe(512);
    } finally {
      await reopened.close();
    }
  });

  it('halts when a commit hits the limit', async () => {
    const store = await openDuckDbStore(dataDir);
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql !== 'COMMIT') return run();
      throw new Error(COMMIT_OUT_OF_MEMORY);
    });
    try {
      await store.writeSpans(llmCalls(1, 3));
      expect(await store.countSpans()).toBe(0);
      expect(store.writeBlocker!()).toMatch(
        /^a COMMIT of spans failed at DuckDB's memory limit, .*: TransactionContext Error: Failed to commit: failed to pin block .*Restart Foghorn with a larger --memory-limit/,
      );
      expect(store.loadStall!()).toBeNull();
      await expect(store.writeSpans(llmCalls(2, 1))).rejects.toThrow(
        /^a COMMIT of spans failed at DuckDB's memory limit/,
      );
    } finally {
      await store.close();
    }
    expect(await countAfterReopen()).toBe(3);
  });

  it('erasure empties the log', async () => {
    const store = await openDuckDbStore(dataDir);
    try {
      const erased = llmCalls(1, 3).map((span) => ({ ...span, userId: 'user-to-erase' }));
      await store.writeSpans(erased);
      // This write is still syncing when the erasure starts, so the segment stays open.
      const concurrent = store.writeSpans(llmCalls(2, 2));
      const entry = await store.eraseUser({
        projectId: 'default',
        userIds: ['user-to-erase'],
        userIdKeys: [],
        loggedUserId: 'user-to-erase',
        requestedBy: 'test',
        requestedAtUnixMs: Date.now(),
      });
      await concurrent;
      expect(entry.counts.spans).toBe(3);
      const directory = join(dataDir, INGEST_LOG_DIR_NAME);
      for (const name of readdirSync(directory).filter((file) => file.endsWith('.log'))) {
        expect(readFileSync(join(directory, name)).toString('latin1'), name).not.toContain(
          'user-to-erase',
        );
      }
      expect(await store.countSpans()).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('maintenance checkpoints during ingest', async () => {
    const store = await openDuckDbStore(dataDir);
    try {
      await store.writeSpans(llmCalls(1, 3).map((span) => ({ ...span, userId: 'gone' })));
      let writing = true;
      let written = 0;
      const ingest = (async () => {
        for (let trace = 100; writing; trace++) {
          await store.writeSpans(llmCalls(trace, 20));
          written += 20;
        }
      })();
      // Every write above leaves a load transaction open for up to 3 s, and DuckDB refuses
      // a CHECKPOINT while one is open.
      const entry = await store.eraseUser({
        projectId: 'default',
        userIds: ['gone'],
        userIdKeys: [],
        loggedUserId: 'gone',
        requestedBy: 'test',
        requestedAtUnixMs: Date.now(),
      });
      const counts = await store.applyRetention({
        spansBeforeUnixNano: BigInt(START_MS - 86_400_000) * 1_000_000n,
        contentBeforeUnixNano: null,
        metricsBeforeUnixNano: null,
        logsBeforeUnixNano: null,
        scoresBeforeUnixNano: null,
      });
      writing = false;
      await ingest;
      expect(entry.counts.spans).toBe(3);
      expect(counts.spansDeleted).toBe(0);
      expect(await store.countSpans()).toBe(written);
    } finally {
      await store.close();
    }
  });

  it('drops a retry within a transaction', async () => {
    const store = await openDuckDbStore(dataDir);
    try {
      await store.writeSpans(llmCalls(1, 5));
      // The loader appends the batch to the open transaction, which stays open for the retry.
      await waitUntil(() => openTransactionRows(store) === 5, 2000);
      await store.writeSpans(llmCalls(1, 5));
      expect(await store.countSpans()).toBe(5);
      expect(await rolledUpRequests(store)).toBe(5);
    } finally {
      await store.close();
    }
  });

  it('appends rollup rows per transaction', async () => {
    const store = await openDuckDbStore(dataDir);
    const connection = await duckDbInstanceOf(store)!.connect();
    try {
      for (let trace = 1; trace <= 4; trace++) {
        await store.writeSpans(llmCalls(trace, 3));
        await waitUntil(() => openTransactionRows(store) === trace * 3, 2000);
      }
      expect(await rolledUpRequests(store)).toBe(12);
      // Four loads in one transaction, all in the same minute and labels: one row, not four.
      const reader = await connection.runAndReadAll(
        'SELECT count(*), sum(requests) FROM span_rollup_1m',
      );
      expect(reader.getRows()).toEqual([[1n, 12n]]);
    } finally {
      connection.closeSync();
      await store.close();
    }
  });

  it('reloads every load of a failed commit', async () => {
    const store = await openDuckDbStore(dataDir);
    let failures = 0;
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT' && failures === 0) {
        failures += 1;
        throw new Error('Conversion Error: a value this column cannot hold');
      }
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 4));
      await waitUntil(() => openTransactionRows(store) === 4, 2000);
      await store.writeSpans(llmCalls(2, 6));
      await waitUntil(() => openTransactionRows(store) === 10, 2000);
      expect(await store.countSpans()).toBe(10);
      expect(failures).toBe(1);
      expect(await rolledUpRequests(store)).toBe(10);
      const trace = await store.getTrace('default', '2'.padStart(32, '0'));
      expect(trace).toHaveLength(6);
    } finally {
      await store.close();
    }
  });

  it('a read commits the acknowledged spans', async () => {
    const store = await openDuckDbStore(dataDir);
    try {
      await store.writeSpans(llmCalls(1, 7));
      await store.writeSpans(llmCalls(2, 4));
      expect(await rolledUpRequests(store)).toBe(11);
      expect(readdirSync(join(dataDir, INGEST_LOG_DIR_NAME))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
