import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../src/metrics/metric-point.ts';
import type { Store } from '../../src/store/store.ts';
import { openChdb, openDuckDb, type OpenedStore } from './open-stores.ts';

const NANOS_PER_MS = 1_000_000n;
const TIME_MS = Date.UTC(2026, 0, 15, 12);
const WINDOW = { projectId: 'default', fromUnixMs: TIME_MS - 60_000, toUnixMs: TIME_MS + 60_000 };
const METRIC = 'gen_ai.client.operation.duration';

let duck: OpenedStore;
let click: OpenedStore;

/** Builds a duration point of `calls` calls, identified by its service name. */
function durationPoint(
  serviceName: string,
  calls: number,
  attributes: MetricPoint['attributes'],
  resourceAttributes: MetricPoint['resourceAttributes'],
): MetricPoint {
  return {
    metricName: METRIC,
    unit: 's',
    kind: 'histogram',
    temporality: 'delta',
    isMonotonic: true,
    serviceName,
    scopeName: 'conformance',
    startTimeUnixNano: BigInt(TIME_MS - 1000) * NANOS_PER_MS,
    timeUnixNano: BigInt(TIME_MS) * NANOS_PER_MS,
    attributes,
    resourceAttributes: { 'service.name': serviceName, ...resourceAttributes },
    model: 'm',
    provider: null,
    tenant: null,
    feature: null,
    tokenType: null,
    errorType: null,
    value: null,
    deltaValue: null,
    deltaCount: calls,
    deltaSum: calls,
    min: null,
    max: null,
    explicitBounds: [1, 2],
    deltaBucketCounts: [0, calls, 0],
    exponential: null,
    quantiles: [],
    reset: false,
  };
}

const POINTS: MetricPoint[] = [
  durationPoint('new-key', 1, {}, { 'deployment.environment.name': 'prod' }),
  durationPoint('old-key', 2, {}, { 'deployment.environment': 'prod' }),
  durationPoint('staging', 4, {}, { 'deployment.environment.name': 'staging' }),
  // The point's own attribute comes before its resource's, as for spans.
  durationPoint(
    'attribute',
    8,
    { 'deployment.environment.name': 'prod' },
    {
      'deployment.environment.name': 'staging',
    },
  ),
  // An empty string is no environment, so the next key is read.
  durationPoint(
    'empty-name',
    16,
    {},
    {
      'deployment.environment.name': '',
      'deployment.environment': 'prod',
    },
  ),
  durationPoint('none', 32, {}, {}),
];

/** Runs the same call on both backends and returns both results, DuckDB first. */
async function both<T>(call: (store: Store) => Promise<T>): Promise<[T, T]> {
  return [await call(duck.store), await call(click.store)];
}

beforeAll(async () => {
  duck = await openDuckDb();
  click = await openChdb('metric_conformance');
  for (const opened of [duck, click]) await opened.store.writeMetricPoints('default', POINTS, []);
}, 240_000);

afterAll(async () => {
  await duck?.close();
  await click?.close();
});

describe('metric point reads', () => {
  it('filter by environment', async () => {
    for (const [environment, services] of [
      ['prod', ['new-key', 'old-key', 'attribute', 'empty-name']],
      ['staging', ['staging']],
      ['dev', []],
    ] as const) {
      const [duckPoints, clickPoints] = await both((store) =>
        store.metricPoints(WINDOW, [METRIC], { environment }),
      );
      const serviceNames = (points: MetricPoint[]) =>
        points.map((point) => point.serviceName).sort();
      expect(serviceNames(duckPoints)).toEqual([...services].sort());
      expect(serviceNames(clickPoints)).toEqual([...services].sort());
    }
  });

  it('return every environment unfiltered', async () => {
    const [duckPoints, clickPoints] = await both((store) =>
      store.metricPoints(WINDOW, [METRIC], {}),
    );
    expect(duckPoints).toHaveLength(POINTS.length);
    expect(clickPoints).toHaveLength(POINTS.length);
  });
});
