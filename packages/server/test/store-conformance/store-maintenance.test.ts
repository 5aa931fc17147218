import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredLogRecord } from '../../src/logs/log-record.ts';
import type { MetricPoint } from '../../src/metrics/metric-point.ts';
import type { Store } from '../../src/store/store.ts';
import { DATA_START_MS, HOUR_MS, generateData, type GeneratedData } from './generated-spans.ts';
import { openChdb, openDuckDb, type OpenedStore } from './open-stores.ts';

const NANOS_PER_MS = 1_000_000n;
let duck: OpenedStore;
let click: OpenedStore;
let data: GeneratedData;

function metricPoint(index: number, userId: string): MetricPoint {
  const timeNs = BigInt(DATA_START_MS + index * 60_000) * NANOS_PER_MS;
  return {
    metricName: index % 2 === 0 ? 'gen_ai.client.operation.duration' : 'gen_ai.requests.active',
    unit: index % 2 === 0 ? 's' : '{request}',
    kind: index % 2 === 0 ? 'histogram' : 'sum',
    temporality: 'cumulative',
    isMonotonic: index % 2 === 0,
    serviceName: 'api',
    scopeName: 'test',
    startTimeUnixNano: BigInt(DATA_START_MS) * NANOS_PER_MS,
    timeUnixNano: timeNs,
    attributes: { 'user.id': userId, 'gen_ai.request.model': 'gpt-4o' },
    resourceAttributes: { 'service.name': 'api' },
    model: 'gpt-4o',
    provider: 'openai',
    tenant: index % 3 === 0 ? 'acme' : 'globex',
    feature: null,
    tokenType: null,
    errorType: null,
    value: index % 2 === 0 ? null : index,
    deltaValue: index % 2 === 0 ? null : 1,
    deltaCount: index % 2 === 0 ? 3 : null,
    deltaSum: index % 2 === 0 ? 1.25 + index / 7 : null,
    min: index % 2 === 0 ? 0.1 : null,
    max: index % 2 === 0 ? 2.5 : null,
    explicitBounds: index % 2 === 0 ? [0.1, 1, 10] : [],
    deltaBucketCounts: index % 2 === 0 ? [1, 1, 1, 0] : [],
    exponential: null,
    quantiles: [],
    reset: index === 0,
  };
}

function logRecord(traceId: string, index: number, userId: string): StoredLogRecord {
  const timeNs = BigInt(DATA_START_MS + index * 1000) * NANOS_PER_MS + 17n;
  return {
    timeUnixNano: timeNs,
    observedTimeUnixNano: timeNs + 5n,
    severityNumber: 9,
    severityText: 'INFO',
    body: { role: 'user', content: `message ${index}` },
    attributes: { 'user.id': userId, 'gen_ai.system': 'openai' },
    resourceAttributes: { 'service.name': 'api' },
    serviceName: 'api',
    scopeName: 'test',
    traceId,
    spanId: 'a1b2c3d4e5f60718',
    eventName: 'gen_ai.user.message',
  };
}

async function load(store: Store): Promise<GeneratedData> {
  const generated = generateData(60, 11);
  for (const write of generated.writes) await store.writeSpans(write);
  const traceId = [...generated.userTraceIds.values()][0]![0]!;
  await store.writeLogRecords(
    'default',
    [0, 1, 2].map((index) => logRecord(traceId, index, 'user-1')),
  );
  await store.writeLogRecords('other', [logRecord(traceId, 3, 'user-1')]);
  const points = Array.from({ length: 8 }, (_, index) => metricPoint(index, `user-${index % 2}`));
  await store.writeMetricPoints('default', points, [
    ['{"user.id":"user-0"}', { startTimeUnixNano: 1n, timeUnixNano: 2n } as never],
    ['{"user.id":"user-1"}', { startTimeUnixNano: 3n, timeUnixNano: 4n } as never],
  ]);
  return generated;
}

async function both<T>(call: (store: Store) => Promise<T>): Promise<[T, T]> {
  return [await call(duck.store), await call(click.store)];
}

beforeAll(async () => {
  duck = await openDuckDb();
  click = await openChdb('maintenance');
  data = await load(duck.store);
  await load(click.store);
}, 240_000);

afterAll(async () => {
  await duck?.close();
  await click?.close();
});

describe('store conformance: signals and maintenance', () => {
  const window = {
    projectId: 'default',
    fromUnixMs: DATA_START_MS - HOUR_MS,
    toUnixMs: DATA_START_MS + 80 * HOUR_MS,
  };

  it('metric points and series states match', async () => {
    const names = ['gen_ai.client.operation.duration', 'gen_ai.requests.active'];
    const [expected, actual] = await both((store) => store.metricPoints(window, names, {}));
    expect(actual).toEqual(expected);
    expect(actual).toHaveLength(8);
    const [filtered] = await both((store) => store.metricPoints(window, names, { tenant: 'acme' }));
    const [, filteredClick] = await both((store) =>
      store.metricPoints(window, names, { tenant: 'acme' }),
    );
    expect(filteredClick).toEqual(filtered);
    expect(filteredClick).toHaveLength(3);
    const [states, clickStates] = await both((store) => store.loadSeriesStates());
    expect(clickStates).toEqual(states);
    expect(clickStates[1]?.state.timeUnixNano).toBe(4n);
    const [count, clickCount] = await both((store) => store.countMetricPoints());
    expect(clickCount).toBe(count);
  });

  it('trace logs match and stay in their project', async () => {
    const traceId = [...data.userTraceIds.values()][0]![0]!;
    const [expected, actual] = await both((store) => store.traceLogs('default', traceId));
    expect(actual).toEqual(expected);
    expect(actual.map((record) => record.timeUnixNano % 1000n)).toEqual([17n, 17n, 17n]);
    const [, other] = await both((store) => store.traceLogs('other', traceId));
    expect(other).toHaveLength(1);
  });

  it('re-pricing matches', async () => {
    await both((store) =>
      store.repriceSpans(window, (span) =>
        span.model === 'gpt-4o'
          ? {
              ...span.cost,
              totalUsd: span.usage.inputTokens * 2.5e-6,
              inputUsd: span.usage.inputTokens * 2.5e-6,
            }
          : null,
      ),
    );
    const [expected, actual] = await both((store) =>
      store.summary({ ...window, filters: {} }, 'model'),
    );
    expect(actual).toEqual(expected);
    const gpt4o = actual.find((group) => group.key === 'gpt-4o')!;
    expect(gpt4o.unpricedRequests).toBe(0);
    expect(gpt4o.costUsd).toBeCloseTo(gpt4o.tokens.input * 2.5e-6, 9);
  });

  it('erasure matches', async () => {
    const request = {
      projectId: 'default',
      userIds: ['user-1'],
      userIdKeys: ['user.id'],
      loggedUserId: 'pseudonym-1',
      requestedBy: 'test',
      requestedAtUnixMs: DATA_START_MS,
    };
    const [expected, actual] = await both((store) => store.eraseUser(request));
    expect({ ...actual, id: '' }).toEqual({ ...expected, id: '' });
    expect(actual.counts.spans).toBeGreaterThan(0);
    expect(actual.counts.logRecords).toBe(3);
    expect(actual.counts.metricPoints).toBe(4);
    const [spans, clickSpans] = await both((store) => store.countSpans());
    expect(clickSpans).toBe(spans);
    expect(clickSpans).toBe(data.uniqueSpanCount - actual.counts.spans);
    const [states, clickStates] = await both((store) => store.loadSeriesStates());
    expect(clickStates).toEqual(states);
    expect(clickStates).toHaveLength(1);
  });

  it('retention matches', async () => {
    const cutoffNs = BigInt(DATA_START_MS + 36 * HOUR_MS) * NANOS_PER_MS;
    const cutoffs = {
      spansBeforeUnixNano: cutoffNs,
      contentBeforeUnixNano: cutoffNs + BigInt(12 * HOUR_MS) * NANOS_PER_MS,
      metricsBeforeUnixNano: BigInt(DATA_START_MS + 3 * 60_000) * NANOS_PER_MS,
      logsBeforeUnixNano: null,
      scoresBeforeUnixNano: null,
    };
    const [expected, actual] = await both((store) => store.applyRetention(cutoffs));
    expect(actual).toEqual(expected);
    expect(actual.spansDeleted).toBeGreaterThan(0);
    expect(actual.spansContentBlanked).toBeGreaterThan(0);
    expect(actual.metricPointsDeleted).toBe(2);
    await both((store) => store.rebuildRollups(window));
    const [summary, clickSummary] = await both((store) =>
      store.summary({ ...window, filters: {} }, 'tenant'),
    );
    expect(clickSummary).toEqual(summary);
    const [traces, clickTraces] = await both((store) =>
      store.listTraces({
        ...window,
        filters: {},
        status: null,
        minDurationMs: null,
        text: 'question',
        limit: 1000,
      }),
    );
    expect(clickTraces.map((trace) => trace.traceId)).toEqual(traces.map((trace) => trace.traceId));
  });
});
