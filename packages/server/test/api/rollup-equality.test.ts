import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { selectSummary, selectTimeseries } from '../../src/store/duckdb/aggregate-queries.ts';
import { duckDbInstanceOf, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import {
  GROUP_BY_VALUES,
  type LlmQuery,
  type Store,
  type SummaryGroup,
} from '../../src/store/store.ts';
import { hexId, makeSpan, seededRandom } from './span-factory.ts';

const START_MS = Date.UTC(2026, 9, 1, 0, 0, 0);
const SPAN_COUNT = 4000;
const WINDOW_MS = 100 * 3_600_000;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet', null];
const TENANTS = ['acme', 'globex', 'initech', null];
const FEATURES = ['search', 'chat', null];
const ERRORS = [null, null, null, null, 'rate_limit', 'timeout'] as const;

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/**
 * Builds traces of a workflow root and one or two LLM calls. Roots carry the tenant and
 * feature, and are written after their calls, so the stored calls change after the append.
 */
function buildTraffic(): { calls: CanonicalSpan[]; roots: CanonicalSpan[] } {
  const random = seededRandom(7);
  const calls: CanonicalSpan[] = [];
  const roots: CanonicalSpan[] = [];
  for (let trace = 0; calls.length < SPAN_COUNT; trace++) {
    const traceId = hexId(trace + 1, 32);
    const startMs = START_MS + random() * WINDOW_MS;
    const tenant = pick(random, TENANTS);
    const feature = pick(random, FEATURES);
    roots.push(
      makeSpan({
        traceId,
        spanId: hexId(trace * 4 + 1, 16),
        startMs,
        durationMs: 5000,
        isLlmCall: false,
        tenant,
        feature,
      }),
    );
    const callCount = 1 + Math.floor(random() * 2);
    for (let call = 0; call < callCount; call++) {
      const model = pick(random, MODELS);
      calls.push(
        makeSpan({
          traceId,
          spanId: hexId(trace * 4 + 2 + call, 16),
          parentSpanId: hexId(trace * 4 + 1, 16),
          startMs: startMs + call * 700 + random() * 50,
          durationMs: 20 + random() ** 3 * 20_000,
          model,
          provider: model === null ? null : model.startsWith('claude') ? 'anthropic' : 'openai',
          errorType: pick(random, ERRORS),
          inputTokens: Math.floor(random() * 5000),
          outputTokens: Math.floor(random() * 800),
          costUsd: model === null ? null : random() * 0.05,
        }),
      );
    }
  }
  return { calls, roots };
}

function withoutPercentiles(group: SummaryGroup): Omit<SummaryGroup, 'latencyMs'> {
  const { latencyMs: _latencyMs, ...rest } = group;
  return rest;
}

describe('per-minute rollups', () => {
  let dataDir: string;
  let store: Store;
  let connection: DuckDBConnection;
  let calls: CanonicalSpan[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-rollup-'));
    store = await openDuckDbStore(dataDir);
    const traffic = buildTraffic();
    calls = traffic.calls;
    const batches: CanonicalSpan[][] = [];
    for (let index = 0; index < calls.length; index += 250)
      batches.push(calls.slice(index, index + 250));
    await Promise.all(batches.map((batch) => store.writeSpans(batch)));
    await store.writeSpans(traffic.roots);
    // Commits refresh the rollups on a timer; a store query brings them up to date first.
    await store.summary(
      { projectId: 'default', fromUnixMs: 0, toUnixMs: START_MS + 200 * 3_600_000, filters: {} },
      'model',
    );
    connection = await duckDbInstanceOf(store)!.connect();
  });

  afterAll(async () => {
    connection.closeSync();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Window edges off the minute and hour grids, so every source contributes: hour rows,
  // minute rows for the partial hours and raw spans for the partial minutes.
  const query = (filters: LlmQuery['filters'] = {}): LlmQuery => ({
    projectId: 'default',
    fromUnixMs: START_MS + 3_600_000 + 12_345,
    toUnixMs: START_MS + 99 * 3_600_000 + 1_804_321,
    filters,
  });
  const PLANS = ['minute-rollups', 'hour-rollups'] as const;

  it('summary equals raw for every group-by', async () => {
    for (const plan of PLANS) {
      for (const groupBy of GROUP_BY_VALUES) {
        const raw = await selectSummary(connection, 'spans', query(), groupBy);
        const rolled = await selectSummary(connection, plan, query(), groupBy);
        expect(raw.length, groupBy).toBeGreaterThan(0);
        expect(rolled.map(withoutPercentiles), `${plan} ${groupBy}`).toEqual(
          raw.map(withoutPercentiles),
        );
      }
    }
  });

  it('summary equals raw with filters', async () => {
    const filters = { tenant: 'acme', model: 'gpt-4o' };
    const raw = await selectSummary(connection, 'spans', query(filters), 'feature');
    expect(raw.reduce((sum, group) => sum + group.requests, 0)).toBeGreaterThan(50);
    for (const plan of PLANS) {
      const rolled = await selectSummary(connection, plan, query(filters), 'feature');
      expect(rolled.map(withoutPercentiles), plan).toEqual(raw.map(withoutPercentiles));
    }
  });

  it('tenant inherited from a later root is rolled up', async () => {
    const rolled = await selectSummary(connection, 'hour-rollups', query(), 'tenant');
    const keys = rolled.map((group) => group.key);
    expect(keys).toContain('acme');
    expect(keys).toContain(null);
  });

  it('timeseries equals raw per step', async () => {
    const cases = [
      ['hour-rollups', 7_200_000],
      ['minute-rollups', 900_000],
    ] as const;
    for (const [plan, stepMs] of cases) {
      for (const groupBy of [null, 'model', 'errorType'] as const) {
        const raw = await selectTimeseries(connection, 'spans', query(), groupBy, stepMs);
        const rolled = await selectTimeseries(connection, plan, query(), groupBy, stepMs);
        const strip = (series: typeof raw) =>
          series.map((item) => ({
            key: item.key,
            points: item.points.map(({ latencyMs: _l, ...rest }) => rest),
          }));
        expect(strip(rolled), `${plan} ${String(groupBy)}`).toEqual(strip(raw));
      }
    }
  });

  it('percentiles are within one bucket of the exact rank', async () => {
    const q = query({ model: 'gpt-4o' });
    const fromNs = BigInt(q.fromUnixMs) * 1_000_000n;
    const toNs = BigInt(q.toUnixMs) * 1_000_000n;
    const durations = calls
      .filter(
        (span) =>
          span.model === 'gpt-4o' &&
          span.startTimeUnixNano >= fromNs &&
          span.startTimeUnixNano < toNs,
      )
      .map((span) => span.durationMs)
      .sort((a, b) => a - b);
    for (const plan of PLANS) {
      const [rolled] = await selectSummary(connection, plan, q, 'model');
      for (const [name, quantile] of [
        ['p50', 0.5],
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const) {
        const exact = durations[Math.floor(quantile * (durations.length - 1))]!;
        const approximate = rolled!.latencyMs[name]!;
        expect(Math.abs(approximate - exact) / exact, `${plan} ${name}`).toBeLessThanOrEqual(0.01);
      }
    }
  });

  it('rebuild follows a change to stored costs', async () => {
    await connection.run('UPDATE spans SET cost_usd = cost_usd * 2 WHERE cost_usd IS NOT NULL');
    const stale = await selectSummary(connection, 'hour-rollups', query(), 'model');
    const raw = await selectSummary(connection, 'spans', query(), 'model');
    expect(stale.map(withoutPercentiles)).not.toEqual(raw.map(withoutPercentiles));
    await store.rebuildRollups({
      fromUnixMs: START_MS,
      toUnixMs: START_MS + WINDOW_MS + 3_600_000,
    });
    for (const plan of PLANS) {
      const rebuilt = await selectSummary(connection, plan, query(), 'model');
      expect(rebuilt.map(withoutPercentiles), plan).toEqual(raw.map(withoutPercentiles));
    }
  });
});
