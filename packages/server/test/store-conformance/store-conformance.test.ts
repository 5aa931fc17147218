import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GROUP_BY_VALUES,
  type LlmQuery,
  type Store,
  type TraceSearch,
} from '../../src/store/store.ts';
import { DATA_START_MS, HOUR_MS, generateData, type GeneratedData } from './generated-spans.ts';
import { openChdb, openDuckDb, type OpenedStore } from './open-stores.ts';

const TRACE_COUNT = 200;
let duck: OpenedStore;
let click: OpenedStore;
let data: GeneratedData;

async function load(store: Store): Promise<GeneratedData> {
  // Each backend gets its own copy: stores fill inherited attribution into the objects they write.
  const generated = generateData(TRACE_COUNT);
  for (const write of generated.writes) await store.writeSpans(write);
  return generated;
}

function day(offsetHours: number, hours: number, filters: LlmQuery['filters'] = {}): LlmQuery {
  const fromUnixMs = DATA_START_MS + offsetHours * HOUR_MS;
  return { projectId: 'default', fromUnixMs, toUnixMs: fromUnixMs + hours * HOUR_MS, filters };
}

/** Runs the same call on both backends and returns both results, DuckDB first. */
async function both<T>(call: (store: Store) => Promise<T>): Promise<[T, T]> {
  return [await call(duck.store), await call(click.store)];
}

beforeAll(async () => {
  duck = await openDuckDb();
  click = await openChdb();
  data = await load(duck.store);
  await load(click.store);
}, 240_000);

afterAll(async () => {
  await duck?.close();
  await click?.close();
});

describe('store conformance', () => {
  it('stores duplicates once', async () => {
    const [duckCount, clickCount] = await both((store) => store.countSpans());
    expect(duckCount).toBe(data.uniqueSpanCount);
    expect(clickCount).toBe(data.uniqueSpanCount);
  });

  it('summary matches for every groupBy, raw and rollup windows', async () => {
    const windows = [
      day(3, 20),
      day(0, 72),
      day(5, 60, { tenant: 'acme' }),
      day(1, 30, { model: 'gpt-4o' }),
      day(2, 50, { registeredModel: 'iris-classifier/2' }),
    ];
    for (const query of windows) {
      for (const groupBy of GROUP_BY_VALUES) {
        const [expected, actual] = await both((store) => store.summary(query, groupBy));
        expect(actual, `${groupBy} ${JSON.stringify(query)}`).toEqual(expected);
      }
    }
  });

  it('summary counts every call of the project', async () => {
    const [groups] = await both((store) => store.summary(day(-1, 80), 'provider'));
    const requests = groups.reduce((sum, group) => sum + group.requests, 0);
    const [otherGroups] = await both((store) =>
      store.summary({ ...day(-1, 80), projectId: 'other' }, 'provider'),
    );
    const otherRequests = otherGroups.reduce((sum, group) => sum + group.requests, 0);
    expect(requests + otherRequests).toBe(data.llmCallCount);
    expect(otherRequests).toBeGreaterThan(0);
  });

  it('calls inherit the tenant of a root that came later', async () => {
    const [expected, actual] = await both((store) => store.summary(day(-1, 80), 'tenant'));
    expect(actual).toEqual(expected);
    expect(data.lateRootTraceIds.length).toBeGreaterThan(10);
    for (const traceId of data.lateRootTraceIds.slice(0, 10)) {
      const [duckSpans, clickSpans] = await both((store) => store.getTrace('default', traceId));
      expect(clickSpans).toEqual(duckSpans);
      for (const span of clickSpans) expect(span.tenant, span.spanId).not.toBeNull();
    }
  });

  it('timeseries matches, raw and rollup', async () => {
    const cases: [LlmQuery, (typeof GROUP_BY_VALUES)[number] | null, number][] = [
      [day(2, 24), null, HOUR_MS],
      [day(2, 24), 'model', 15 * 60_000],
      [day(0, 72), null, HOUR_MS],
      [day(0, 72), 'provider', 3 * HOUR_MS],
      [day(0, 72), 'tenant', HOUR_MS],
      [day(0, 72), 'errorType', 60_000 * 7],
      [day(0, 72), 'registeredModel', HOUR_MS],
    ];
    for (const [query, groupBy, stepMs] of cases) {
      const [expected, actual] = await both((store) => store.timeseries(query, groupBy, stepMs));
      expect(actual, `${groupBy} ${stepMs}`).toEqual(expected);
      expect(actual.length).toBeGreaterThan(0);
    }
  });

  it('dimensions match', async () => {
    const [expected, actual] = await both((store) => store.dimensions(day(0, 72)));
    expect(actual).toEqual(expected);
    expect(actual.models).toEqual(['claude-sonnet', 'gpt-4o', 'gpt-4o-mini']);
    expect(actual.environments).toEqual(['production', 'staging']);
    expect(actual.registeredModels).toEqual(['iris-classifier/1', 'iris-classifier/2']);
  });

  it('calls inherit the registered model of their root', async () => {
    const [expected, actual] = await both((store) => store.summary(day(-1, 80), 'registeredModel'));
    expect(actual).toEqual(expected);
    expect(actual.map((group) => group.key)).toEqual(
      expect.arrayContaining([null, 'iris-classifier/1', 'iris-classifier/2']),
    );
    for (const traceId of data.lateRootTraceIds.slice(0, 10)) {
      const [duckSpans] = await both((store) => store.getTrace('default', traceId));
      const root = duckSpans.find((span) => span.parentSpanId === null)!;
      for (const span of duckSpans)
        expect(span.registeredModel, span.spanId).toBe(root.registeredModel);
    }
  });

  it('trace searches match', async () => {
    const base: TraceSearch = {
      ...day(10, 30),
      status: null,
      minDurationMs: null,
      text: null,
      limit: 1000,
    };
    const searches: TraceSearch[] = [
      base,
      { ...base, status: 'error' },
      { ...base, status: 'ok', limit: 7 },
      { ...base, minDurationMs: 6500 },
      { ...base, text: 'HANDLE SEARCH' },
      { ...base, text: 'user-3"' },
      { ...base, filters: { tenant: 'globex' } },
      { ...base, filters: { registeredModel: 'iris-classifier/1' } },
    ];
    for (const search of searches) {
      const [expected, actual] = await both((store) => store.listTraces(search));
      expect(roundCosts(actual), JSON.stringify(search)).toEqual(roundCosts(expected));
    }
    const [all] = await both((store) => store.listTraces(base));
    expect(all.length).toBeGreaterThan(20);
  });

  it('getTrace matches and stays in its project', async () => {
    const [traces] = await both((store) =>
      store.listTraces({ ...day(0, 72), status: null, minDurationMs: null, text: null, limit: 20 }),
    );
    for (const trace of traces) {
      const [expected, actual] = await both((store) => store.getTrace('default', trace.traceId));
      expect(actual).toEqual(expected);
      expect(actual.length).toBe(trace.spanCount);
      const [, otherProject] = await both((store) => store.getTrace('other', trace.traceId));
      expect(otherProject).toEqual([]);
    }
  });

  it('inflight and time to first token match', async () => {
    const [expected, actual] = await both((store) =>
      store.inflightFromSpans(day(4, 12), 10 * 60_000),
    );
    expect(actual).toEqual(expected);
    expect(actual.length).toBeGreaterThan(10);
    for (const groupBy of [null, 'model', 'tenant'] as const) {
      const [expectedTtft, actualTtft] = await both((store) =>
        store.timeToFirstToken(day(0, 72), groupBy, 6 * HOUR_MS),
      );
      expect(actualTtft).toEqual(expectedTtft);
    }
  });
});

/** Trace costs are plain double sums, whose last digit depends on the order of addition. */
function roundCosts<T extends { costUsd: number | null }>(items: T[]): T[] {
  return items.map((item) => ({
    ...item,
    costUsd: item.costUsd === null ? null : Number(item.costUsd.toPrecision(12)),
  }));
}
