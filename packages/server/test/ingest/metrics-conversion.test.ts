import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGGREGATION_TEMPORALITY,
  exportMetrics,
  keyValues,
  metricsRequest,
  nanos,
  storedIncrease,
  storedPoints,
  tokenSum,
  type TokenPoint,
} from '../helpers/metrics-ingest-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const { delta: DELTA, cumulative: CUMULATIVE } = AGGREGATION_TEMPORALITY;
/** `DataPointFlags.FLAG_NO_RECORDED_VALUE` in the OTLP metrics proto. */
const FLAG_NO_RECORDED_VALUE = 1;
const DURATION_METRIC = 'gen_ai.client.operation.duration';

describe('metrics conversion to increases', () => {
  let server: TestServer;
  let fromMs: number;
  /** Start time of every series, after the server started, so a first point counts in full. */
  let startMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    startMs = Date.now();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function sendTokens(model: string, temporality: number, point: TokenPoint) {
    const response = await exportMetrics(
      server.otlpUrl,
      metricsRequest([tokenSum(model, temporality, [point])]),
    );
    expect(response.status).toBe(200);
    return response;
  }

  it('exponential downscale is an increase', async () => {
    // Scale 1 counts [2, 2] are 4 calls in (1, 2] s. After a downscale to scale 0 with the
    // same start, counts [4, 2] are those 4 plus 2 calls in (2, 4] s: an increase of 2.
    const histogram = (timeMs: number, scale: number, counts: number[]) => ({
      name: DURATION_METRIC,
      unit: 's',
      exponentialHistogram: {
        aggregationTemporality: CUMULATIVE,
        dataPoints: [
          {
            attributes: keyValues({ 'gen_ai.request.model': 'downscale' }),
            startTimeUnixNano: nanos(startMs),
            timeUnixNano: nanos(timeMs),
            count: String(counts.reduce((total, count) => total + count, 0)),
            sum: 10,
            scale,
            zeroCount: '0',
            positive: { offset: 0, bucketCounts: counts.map(String) },
          },
        ],
      },
    });
    for (const [offsetMs, scale, counts] of [
      [1000, 1, [2, 2]],
      [2000, 0, [4, 2]],
    ] as const) {
      const body = metricsRequest([histogram(startMs + offsetMs, scale, [...counts])]);
      expect((await exportMetrics(server.otlpUrl, body)).status).toBe(200);
    }

    const points = await storedPoints(server.store, DURATION_METRIC, 'downscale', fromMs);
    expect(points.map((point) => point.deltaCount)).toEqual([4, 2]);
    expect(points[1]!.reset).toBe(false);
    expect(points[1]!.exponential?.scale).toBe(0);
    expect(points[1]!.exponential?.positiveOffset).toBe(0);
    expect(points[1]!.exponential?.positiveCounts).toEqual([0, 2]);
  });

  it('point without recorded value is skipped', async () => {
    // 100, 150, a point flagged with no recorded value, then 200 with the same start: the
    // counter went from 0 to 200.
    await sendTokens('no-value', CUMULATIVE, { startMs, timeMs: startMs + 1000, value: 100 });
    await sendTokens('no-value', CUMULATIVE, { startMs, timeMs: startMs + 2000, value: 150 });
    await sendTokens('no-value', CUMULATIVE, {
      startMs,
      timeMs: startMs + 3000,
      value: 0,
      flags: FLAG_NO_RECORDED_VALUE,
    });
    await sendTokens('no-value', CUMULATIVE, { startMs, timeMs: startMs + 4000, value: 200 });

    const points = await storedPoints(server.store, 'gen_ai.tokens.consumed', 'no-value', fromMs);
    expect(points.map((point) => point.value)).toEqual([100, 150, 200]);
    expect(points.map((point) => point.deltaValue)).toEqual([100, 50, 50]);
    expect(points.some((point) => point.reset)).toBe(false);
  });

  it('NaN counter value is rejected', async () => {
    await sendTokens('nan', CUMULATIVE, { startMs, timeMs: startMs + 1000, value: 100 });
    const response = await sendTokens('nan', CUMULATIVE, {
      startMs,
      timeMs: startMs + 2000,
      value: 'NaN',
    });
    await sendTokens('nan', CUMULATIVE, { startMs, timeMs: startMs + 3000, value: 250 });
    await sendTokens('nan', CUMULATIVE, { startMs, timeMs: startMs + 4000, value: 400 });

    expect(response.rejectedDataPoints).toBe(1);
    expect(response.errorMessage).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].asDouble NaN is not ' +
        'a finite number; send a finite value, or set flags to FLAG_NO_RECORDED_VALUE (1) for ' +
        'a point without a value',
    );
    expect(await storedIncrease(server.store, 'nan', fromMs)).toBe(400);
  });

  it('other value in same interval counts', async () => {
    // Two writers without distinguishing attributes may report the same interval.
    await sendTokens('same-interval', DELTA, { startMs, timeMs: startMs + 1000, value: 40 });
    await sendTokens('same-interval', DELTA, { startMs, timeMs: startMs + 1000, value: 7 });

    expect(await storedIncrease(server.store, 'same-interval', fromMs)).toBe(47);
  });

  it('token histogram without sum warns', async () => {
    const body = metricsRequest([
      {
        name: 'gen_ai.client.token.usage',
        unit: '{token}',
        histogram: {
          aggregationTemporality: DELTA,
          dataPoints: [
            {
              attributes: keyValues({
                'gen_ai.request.model': 'no-sum',
                'gen_ai.token.type': 'input',
              }),
              startTimeUnixNano: nanos(startMs),
              timeUnixNano: nanos(startMs + 1000),
              count: '2',
              bucketCounts: ['0', '2', '0'],
              explicitBounds: [100, 1000],
            },
          ],
        },
      },
    ]);

    const response = await exportMetrics(server.otlpUrl, body);

    expect(response.status).toBe(200);
    expect(response.rejectedDataPoints).toBe(0);
    expect(response.errorMessage).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].sum is missing, ' +
        'so the 2 token counts recorded in this point add 0 to the token totals of ' +
        'gen_ai.client.token.usage; record the histogram with its sum',
    );
    const points = await storedPoints(server.store, 'gen_ai.client.token.usage', 'no-sum', fromMs);
    expect(points.map((point) => point.deltaCount)).toEqual([2]);
  });
});
