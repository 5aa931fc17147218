import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGGREGATION_TEMPORALITY,
  exportMetrics,
  keyValues,
  metricsRequest,
  nanos,
  storedPoints,
  tokenSum,
} from '../helpers/metrics-ingest-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DELTA = AGGREGATION_TEMPORALITY.delta;
const DURATION_METRIC = 'gen_ai.client.operation.duration';
const TOKENS_METRIC = 'gen_ai.tokens.consumed';

type Kind = 'sum' | 'histogram' | 'exponentialHistogram';

/** A valid point of each kind, which every request sends before the invalid one. */
const VALID_VALUES: Record<Kind, Record<string, unknown>> = {
  sum: { asDouble: 5 },
  histogram: { count: '2', sum: 3, bucketCounts: ['0', '2', '0'], explicitBounds: [1, 2] },
  exponentialHistogram: {
    count: '4',
    sum: 6,
    scale: 0,
    zeroCount: '0',
    positive: { offset: 0, bucketCounts: ['4'] },
  },
};

interface InvalidCase {
  name: string;
  kind: Kind;
  /** Fields of the invalid point, over a valid point's times. */
  point: (timeMs: number) => Record<string, unknown>;
  /** The message after the point's path, `...dataPoints[1].`. */
  problem: (timeMs: number) => string;
}

const CASES: InvalidCase[] = [
  {
    name: 'fewer bucket counts than bounds',
    kind: 'histogram',
    point: () => ({ count: '5', sum: 5, bucketCounts: ['5'], explicitBounds: [1, 2] }),
    problem: () =>
      'bucketCounts has 1 counts for 2 explicitBounds; send 3 counts, one per bucket ' +
      'including the one above the last bound',
  },
  {
    name: 'more bucket counts than bounds',
    kind: 'histogram',
    point: () => ({
      count: '5',
      sum: 5,
      bucketCounts: ['1', '1', '1', '1', '1'],
      explicitBounds: [1, 2],
    }),
    problem: () =>
      'bucketCounts has 5 counts for 2 explicitBounds; send 3 counts, one per bucket ' +
      'including the one above the last bound',
  },
  {
    name: 'bucket counts not adding to count',
    kind: 'histogram',
    point: () => ({ count: '3', sum: 5, bucketCounts: ['0', '10', '0'], explicitBounds: [1, 2] }),
    problem: () =>
      'count 3 is not the sum of bucketCounts, 10; send the count of all recorded values',
  },
  {
    name: 'bounds not increasing',
    kind: 'histogram',
    point: () => ({
      count: '3',
      sum: 5,
      bucketCounts: ['1', '1', '1', '0'],
      explicitBounds: [5, 1, 10],
    }),
    problem: () =>
      'explicitBounds[1] 1 is not greater than explicitBounds[0] 5; send strictly increasing bounds',
  },
  {
    name: 'NaN bound',
    kind: 'histogram',
    point: () => ({
      count: '2',
      sum: 5,
      bucketCounts: ['1', '1', '0'],
      explicitBounds: ['NaN', 2],
    }),
    problem: () => 'explicitBounds[0] NaN is not a number; send numeric bounds in increasing order',
  },
  {
    name: 'infinite lower bound',
    kind: 'histogram',
    point: () => ({
      count: '2',
      sum: 5,
      bucketCounts: ['1', '1', '0'],
      explicitBounds: ['-Infinity', 2],
    }),
    problem: () =>
      'explicitBounds[0] -Infinity is not finite; send finite bounds in increasing order',
  },
  {
    name: 'infinite histogram sum',
    kind: 'histogram',
    point: () => ({
      count: '2',
      sum: 'Infinity',
      bucketCounts: ['0', '2', '0'],
      explicitBounds: [1, 2],
    }),
    problem: () => 'sum Infinity is not a finite number; send a finite value',
  },
  {
    name: 'scale above 20',
    kind: 'exponentialHistogram',
    point: () => ({
      count: '4',
      scale: 30,
      zeroCount: '0',
      positive: { offset: 0, bucketCounts: ['4'] },
    }),
    problem: () =>
      'scale 30 is outside -10 to 20, the range of the OTLP metrics proto; send a scale in that range',
  },
  {
    name: 'scale below -10',
    kind: 'exponentialHistogram',
    point: () => ({
      count: '4',
      scale: -11,
      zeroCount: '0',
      positive: { offset: 0, bucketCounts: ['4'] },
    }),
    problem: () =>
      'scale -11 is outside -10 to 20, the range of the OTLP metrics proto; send a scale in that range',
  },
  {
    name: 'offset beyond double range',
    kind: 'exponentialHistogram',
    point: () => ({
      count: '4',
      scale: 0,
      zeroCount: '0',
      positive: { offset: 2_000_000_000, bucketCounts: ['4'] },
    }),
    problem: () =>
      'positive.offset 2000000000 with 1 buckets at scale 0 places buckets outside the range ' +
      'of doubles (2^-1074 to 2^1024); send the index of the first bucket, ' +
      'ceil(log2(value) x 2^scale) - 1',
  },
  {
    name: 'exponential counts not adding to count',
    kind: 'exponentialHistogram',
    point: () => ({
      count: '4',
      scale: 0,
      zeroCount: '1',
      positive: { offset: 0, bucketCounts: ['4'] },
    }),
    problem: () =>
      'count 4 is not the sum of zeroCount and the positive and negative bucketCounts, 5; ' +
      'send the count of all recorded values',
  },
  {
    name: 'time in no known unit',
    kind: 'sum',
    point: () => ({ asDouble: 5, startTimeUnixNano: '0', timeUnixNano: '5' }),
    problem: () =>
      'timeUnixNano 5 is before 2001-09-09 when read as Unix nanoseconds; send the time in ' +
      'Unix nanoseconds',
  },
  {
    name: 'start after time',
    kind: 'sum',
    point: (timeMs) => ({ asDouble: 5, startTimeUnixNano: nanos(timeMs + 60_000) }),
    problem: (timeMs) =>
      `startTimeUnixNano ${nanos(timeMs + 60_000)} is after timeUnixNano ${nanos(timeMs)}; ` +
      'set the start of the interval at or before its end, or 0 when unknown',
  },
  {
    name: 'Infinity counter value',
    kind: 'sum',
    point: () => ({ asDouble: 'Infinity' }),
    problem: () =>
      'asDouble Infinity is not a finite number; send a finite value, or set flags to ' +
      'FLAG_NO_RECORDED_VALUE (1) for a point without a value',
  },
  {
    name: 'negative monotonic delta',
    kind: 'sum',
    point: () => ({ asDouble: -500 }),
    problem: () =>
      'asDouble -500 is negative, but a monotonic sum never decreases; send the non-negative ' +
      'increase, or set isMonotonic to false for a sum that can decrease',
  },
];

/** Builds a delta metric of `kind` with a valid point and then `invalid`, both of model `model`. */
function metricOf(kind: Kind, model: string, timeMs: number, invalid: Record<string, unknown>) {
  const times = {
    attributes: keyValues({ 'gen_ai.request.model': model }),
    startTimeUnixNano: nanos(timeMs - 1000),
    timeUnixNano: nanos(timeMs),
  };
  const dataPoints = [
    { ...times, ...VALID_VALUES[kind] },
    { ...times, ...invalid },
  ];
  if (kind === 'sum') {
    return {
      name: TOKENS_METRIC,
      sum: { aggregationTemporality: DELTA, isMonotonic: true, dataPoints },
    };
  }
  return {
    name: DURATION_METRIC,
    unit: 's',
    [kind]: { aggregationTemporality: DELTA, dataPoints },
  };
}

describe('invalid metric data points', () => {
  let server: TestServer;
  let fromMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
  });
  afterAll(async () => {
    await server.stop();
  });

  for (const invalidCase of CASES) {
    it(`rejects ${invalidCase.name}`, async () => {
      const timeMs = Date.now();
      const { kind } = invalidCase;
      const body = metricsRequest([
        metricOf(kind, invalidCase.name, timeMs, invalidCase.point(timeMs)),
      ]);

      const response = await exportMetrics(server.otlpUrl, body);

      expect(response.status).toBe(200);
      expect(response.rejectedDataPoints).toBe(1);
      expect(response.errorMessage).toBe(
        `resourceMetrics[0].scopeMetrics[0].metrics[0].${kind}.dataPoints[1].` +
          invalidCase.problem(timeMs),
      );
      const metricName = kind === 'sum' ? TOKENS_METRIC : DURATION_METRIC;
      const stored = await storedPoints(server.store, metricName, invalidCase.name, fromMs);
      expect(stored).toHaveLength(1);
      expect(stored[0]!.timeUnixNano).toBe(BigInt(nanos(timeMs)));
    });
  }

  it('rejects unspecified temporality', async () => {
    // The OTLP metrics proto forbids AGGREGATION_TEMPORALITY_UNSPECIFIED, so
    // neither point can be read as an increase or a running total.
    const timeMs = Date.now();
    const points = [
      { startMs: timeMs - 2000, timeMs: timeMs - 1000, value: 100 },
      { startMs: timeMs - 2000, timeMs, value: 150 },
    ];
    const body = metricsRequest([
      tokenSum('unspecified', AGGREGATION_TEMPORALITY.unspecified, points),
      tokenSum('specified', AGGREGATION_TEMPORALITY.delta, points.slice(0, 1)),
    ]);

    const response = await exportMetrics(server.otlpUrl, body);

    expect(response.status).toBe(200);
    expect(response.rejectedDataPoints).toBe(2);
    expect(response.errorMessage).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality 0 ' +
        '(AGGREGATION_TEMPORALITY_UNSPECIFIED) is neither delta nor cumulative; send ' +
        'AGGREGATION_TEMPORALITY_DELTA (1) or AGGREGATION_TEMPORALITY_CUMULATIVE (2)',
    );
    expect(await storedPoints(server.store, TOKENS_METRIC, 'unspecified', fromMs)).toEqual([]);
    expect(await storedPoints(server.store, TOKENS_METRIC, 'specified', fromMs)).toHaveLength(1);
  });

  const UNITS = [
    { unit: 'microseconds', factor: 1_000n },
    { unit: 'milliseconds', factor: 1_000_000n },
    { unit: 'seconds', factor: 1_000_000_000n },
  ];
  for (const { unit, factor } of UNITS) {
    it(`corrects times in ${unit}`, async () => {
      const timeMs = Math.floor(Date.now() / 1000) * 1000;
      const timeNs = BigInt(timeMs) * 1_000_000n;
      const sentTime = timeNs / factor;
      const sentStart = (timeNs - 1_000_000_000n) / factor;
      const metric = metricOf('sum', `in ${unit}`, timeMs, { asDouble: 7 });
      const points = (metric as { sum: { dataPoints: Record<string, unknown>[] } }).sum.dataPoints;
      points[1] = { ...points[1], startTimeUnixNano: `${sentStart}`, timeUnixNano: `${sentTime}` };

      const response = await exportMetrics(server.otlpUrl, metricsRequest([metric]));

      expect(response.status).toBe(200);
      expect(response.rejectedDataPoints).toBe(0);
      expect(response.errorMessage).toBe(
        `resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[1].timeUnixNano ${sentTime} ` +
          `is before 2001-09-09 when read as Unix nanoseconds and looks like Unix ${unit}, so ` +
          `Foghorn multiplied it by ${factor}; send times in Unix nanoseconds`,
      );
      const stored = await storedPoints(server.store, TOKENS_METRIC, `in ${unit}`, fromMs);
      const corrected = stored.find((point) => point.deltaValue === 7);
      expect(stored).toHaveLength(2);
      expect(corrected?.timeUnixNano).toBe(timeNs);
      expect(corrected?.startTimeUnixNano).toBe(timeNs - 1_000_000_000n);
    });
  }

  it('skips values of flagged point', async () => {
    // A point flagged FLAG_NO_RECORDED_VALUE carries no value, so its empty buckets are valid.
    const timeMs = Date.now();
    const body = metricsRequest([
      metricOf('histogram', 'flagged', timeMs, {
        count: '0',
        bucketCounts: [],
        explicitBounds: [1, 2],
        flags: 1,
      }),
    ]);

    const response = await exportMetrics(server.otlpUrl, body);

    expect(response.status).toBe(200);
    expect(response.rejectedDataPoints).toBe(0);
    expect(response.errorMessage).toBe('');
    expect(await storedPoints(server.store, DURATION_METRIC, 'flagged', fromMs)).toHaveLength(1);
  });

  it('folds a last bound of +Infinity', async () => {
    // An exporter may send +Inf as the last boundary, with the empty bucket above it.
    const timeMs = Date.now();
    const body = metricsRequest([
      metricOf('histogram', 'infinite-last-bound', timeMs, {
        count: '5',
        sum: 6,
        bucketCounts: ['2', '2', '1', '0'],
        explicitBounds: [0.5, 1, 'Infinity'],
      }),
    ]);

    const response = await exportMetrics(server.otlpUrl, body);

    expect(response.rejectedDataPoints).toBe(0);
    const stored = await storedPoints(server.store, DURATION_METRIC, 'infinite-last-bound', fromMs);
    const folded = stored.find((point) => point.explicitBounds[0] === 0.5);
    expect(folded?.explicitBounds).toEqual([0.5, 1]);
    expect(folded?.deltaBucketCounts).toEqual([2, 2, 1]);
  });
});
