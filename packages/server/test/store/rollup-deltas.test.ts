import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { selectSummary } from '../../src/store/duckdb/aggregate-queries.ts';
import {
  compactDuckDbRollups,
  duckDbInstanceOf,
  openDuckDbStore,
} from '../../src/store/duckdb/duckdb-store.ts';
import { latencyBucket } from '../../src/store/duckdb/rollup-deltas.ts';
import { LATENCY_BUCKET_SQL } from '../../src/store/duckdb/rollup-schema.ts';
import type { LlmQuery, Store, SummaryGroup } from '../../src/store/store.ts';
import { hexId, makeSpan } from '../api/span-factory.ts';
import { spansVisible } from '../../src/store/duckdb/span-visibility.ts';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';

const MINUTE_MS = 60_000;
const M0_MS = Date.UTC(2026, 10, 20, 9, 0, 0);
const M0_NS = BigInt(M0_MS) * 1_000_000n;

/** Makes every INSERT into the minute rollups fail, as DuckDB's memory limit would. */
function failMinuteRollupInserts(store: Store): void {
  interceptDuckDbRun(store, 'writer', async (sql, run) => {
    if (sql.startsWith('INSERT INTO span_rollup_1m')) {
      throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB');
    }
    return run();
  });
}

function call(trace: number, index: number, startMs: number): CanonicalSpan {
  return makeSpan({
    traceId: hexId(trace + 1, 32),
    spanId: hexId(trace * 100 + index + 2, 16),
    parentSpanId: hexId(trace * 100 + 1, 16),
    startMs,
    durationMs: 100 + index * 37,
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 10,
    outputTokens: 3,
    // 0.1 has no exact binary form; thirty of them add up to 3.0000000000000004 as doubles.
    costUsd: 0.1,
  });
}

function root(trace: number, startMs: number, tenant: string): CanonicalSpan {
  return makeSpan({
    traceId: hexId(trace + 1, 32),
    spanId: hexId(trace * 100 + 1, 16),
    startMs,
    durationMs: 5_000,
    isLlmCall: false,
    tenant,
  });
}

describe('rollups kept up to date from commit deltas', () => {
  let dataDir: string;
  let store: Store;
  let connection: DuckDBConnection;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-rollup-deltas-'));
    store = await openDuckDbStore(dataDir);
    connection = await duckDbInstanceOf(store)!.connect();
  });
  afterEach(async () => {
    connection.closeSync();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const hourQuery: LlmQuery = {
    projectId: 'default',
    fromUnixMs: M0_MS,
    toUnixMs: M0_MS + 60 * MINUTE_MS,
    filters: {},
  };
  /** Runs the compaction that the writer's timer would run a second after the commits. */
  const compact = (): Promise<void> => compactDuckDbRollups(store);
  const cell = async (sql: string): Promise<string> => {
    await spansVisible(duckDbInstanceOf(store)!);
    const reader = await connection.runAndReadAll(sql);
    return String(reader.getRows()[0]![0]);
  };

  /** Ten traces of three calls in the first minute, written in three commits. */
  async function writeFirstMinute(): Promise<void> {
    for (let batch = 0; batch < 3; batch++) {
      const calls = Array.from({ length: 10 }, (_, trace) =>
        call(trace, batch, M0_MS + 1_000 + trace * 100 + batch * 10_000),
      );
      await store.writeSpans(calls);
    }
  }

  it('late root moves calls, minute compacted', async () => {
    await writeFirstMinute();
    // Roots for traces 0 to 4 only: their 15 calls move from no tenant to acme.
    await store.writeSpans([0, 1, 2, 3, 4].map((trace) => root(trace, M0_MS + 500, 'acme')));
    // The first minute received rows since the last compaction, so it waits for another.
    await compact();
    const minuteWhere = `period_start_ns = ${M0_NS}`;
    expect(
      Number(await cell(`SELECT count(*) FROM span_rollup_1m WHERE ${minuteWhere}`)),
    ).toBeGreaterThan(2);
    // A commit that touches only a later minute leaves the first one settled.
    await store.writeSpans([call(20, 0, M0_MS + 2 * MINUTE_MS)]);
    await compact();

    const minuteQuery: LlmQuery = { ...hourQuery, toUnixMs: M0_MS + MINUTE_MS };
    const rolled = await selectSummary(connection, 'minute-rollups', minuteQuery, 'tenant');
    const raw = await selectSummary(connection, 'spans', minuteQuery, 'tenant');
    // Rollup percentiles come from ~2 % wide buckets; everything else is exact.
    const exact = (groups: SummaryGroup[]): unknown[] =>
      groups.map(({ latencyMs: _latencyMs, ...rest }) => rest);
    expect(exact(rolled)).toEqual(exact(raw));
    for (const [index, group] of rolled.entries()) {
      expect(Math.abs(group.latencyMs.p50! / raw[index]!.latencyMs.p50! - 1)).toBeLessThan(0.02);
    }
    expect(rolled.map((group) => [group.key, group.requests])).toEqual([
      ['acme', 15],
      [null, 15],
    ]);

    // One row per key once compacted: the moved calls' -1 and +1 rows are merged away.
    expect(await cell(`SELECT count(*) FROM span_rollup_1m WHERE ${minuteWhere}`)).toBe('2');
    expect(await cell(`SELECT count(*) FROM span_latency_1m WHERE ${minuteWhere} AND n <= 0`)).toBe(
      '0',
    );
    expect(await cell(`SELECT sum(n) FROM span_latency_1m WHERE ${minuteWhere}`)).toBe('30');
    // Costs add up exactly, as the DECIMAL sum over the raw spans does.
    expect(
      await cell(`SELECT CAST(sum(cost_usd) AS VARCHAR) FROM span_rollup_1m WHERE ${minuteWhere}`),
    ).toBe('3.000000000000');
    expect(
      await cell(
        `SELECT CAST(sum(cost_usd) AS VARCHAR) || '/' || sum(requests) || '/' || sum(input_tokens)
         FROM span_rollup_1h`,
      ),
    ).toBe('3.100000000000/31/310');
  });

  it('drops a key that nets to zero', async () => {
    await writeFirstMinute();
    await store.writeSpans(
      Array.from({ length: 10 }, (_, trace) => root(trace, M0_MS + 500, 'globex')),
    );
    await compact();
    await store.writeSpans([call(30, 0, M0_MS + 3 * MINUTE_MS)]);
    await compact();
    const rows = await connection.runAndReadAll(
      `SELECT tenant, requests FROM span_rollup_1m WHERE period_start_ns = ${M0_NS}`,
    );
    expect(rows.getRows().map(([tenant, requests]) => [tenant, Number(requests)])).toEqual([
      ['globex', 30],
    ]);
  });

  it('commit writes rollups, rebuild keeps them', async () => {
    await store.writeSpans([call(0, 0, M0_MS + 1_000), call(1, 0, M0_MS + 2_000)]);
    // No query or compaction ran: the commit itself wrote the rollup rows.
    expect(await cell('SELECT sum(requests) FROM span_rollup_1m')).toBe('2');
    expect(await cell('SELECT sum(requests) FROM span_rollup_1h')).toBe('2');
    await store.rebuildRollups({ fromUnixMs: M0_MS, toUnixMs: M0_MS + MINUTE_MS });
    expect(await cell('SELECT sum(requests) FROM span_rollup_1m')).toBe('2');
    expect(await cell('SELECT sum(requests) FROM span_rollup_1h')).toBe('2');
  });

  it('failed re-pricing changes nothing', async () => {
    await store.writeSpans([call(0, 0, M0_MS + 1_000), call(1, 0, M0_MS + 2_000)]);
    expect(await cell('SELECT sum(cost_usd) FROM spans')).toBe('0.2');
    failMinuteRollupInserts(store);
    const window = { projectId: 'default', fromUnixMs: M0_MS, toUnixMs: M0_MS + MINUTE_MS };
    await expect(
      store.repriceSpans(window, (span) => ({ ...span.cost, totalUsd: 1, inputUsd: 1 })),
    ).rejects.toThrow(/Out of Memory Error/);
    // The spans' UPDATE rolled back with the failed rollup rebuild, so both keep the old price.
    expect(await cell('SELECT sum(cost_usd) FROM spans')).toBe('0.2');
    expect(await cell('SELECT sum(cost_usd) FROM span_rollup_1h')).toBe('0.200000000000');
  });

  it('failed rebuild keeps the rollups', async () => {
    await store.writeSpans([call(0, 0, M0_MS + 1_000), call(1, 0, M0_MS + 2_000)]);
    expect(await cell('SELECT sum(requests) FROM span_rollup_1m')).toBe('2');
    failMinuteRollupInserts(store);
    await expect(
      store.rebuildRollups({ fromUnixMs: M0_MS, toUnixMs: M0_MS + MINUTE_MS }),
    ).rejects.toThrow(/Out of Memory Error/);
    // The DELETE before the failed INSERT rolled back with it.
    expect(await cell('SELECT sum(requests) FROM span_rollup_1m')).toBe('2');
    expect(await cell('SELECT sum(requests) FROM span_rollup_1h')).toBe('2');
  });
});

describe('latency buckets computed at commit', () => {
  it('match SQL, or differ by one at a bound', async () => {
    const durations = [0, -3, 0.0001, 0.001, 1, 1.02, 1000, 86_400_000];
    let seed = 42;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      durations.push(10 ** ((seed / 2_147_483_648) * 8 - 2));
    }

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('CREATE TABLE d (i INTEGER, duration_ms DOUBLE)');
    const appender = await connection.createAppender('d');
    for (const [i, duration] of durations.entries()) {
      appender.appendInteger(i);
      appender.appendDouble(duration);
      appender.endRow();
    }
    appender.closeSync();

    const reader = await connection.runAndReadAll(
      `SELECT i, ${LATENCY_BUCKET_SQL} FROM d ORDER BY i`,
    );
    let differing = 0;
    for (const [i, bucket] of reader.getRows()) {
      const gap = Math.abs(latencyBucket(durations[Number(i)]!) - Number(bucket));
      expect(gap).toBeLessThanOrEqual(1);
      if (gap !== 0) differing++;
    }
    connection.closeSync();
    instance.closeSync();

    // Math.log and DuckDB's ln may round differently right at a bound: a few in 10,000.
    expect(differing).toBeLessThan(durations.length / 1000);
    expect(latencyBucket(1000)).toBe(349);
  });
});
