import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CUMULATIVE,
  DELTA,
  explicitHistogram,
  sendMetrics,
} from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The calls above a histogram's last bound went to the top of the merged buckets, so one slow
// call of a service with short buckets took the largest bound of another service's buckets
// (10,000 s) as its duration. A histogram without bounds gave percentiles of 0, and the max of
// a cumulative point set p99 although its calls had been counted at an earlier point.

const DURATION = 'gen_ai.client.operation.duration';
/** The advisory bucket boundaries of the GenAI duration metric, in seconds. */
const ADVISORY_BOUNDS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** The default boundaries of the OTel SDKs' explicit bucket histogram. */
const SDK_DEFAULT_BOUNDS = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

function countsWith(bounds: number[], entries: Record<number, number>): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const [index, count] of Object.entries(entries)) counts[Number(index)] = count;
  return counts;
}

describe('latency buckets without an upper end', () => {
  let server: TestServer;
  const fromMs = Date.now() - 60_000;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function group(model: string, from = fromMs): Promise<any> {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${from}&to=${Date.now() + 60_000}`,
    );
    return body.groups.find((candidate: any) => candidate.key === model);
  }

  it('keeps a slow call near its own last bound', async () => {
    const timeUnixMs = Date.now();
    const point = (service: string, bounds: number[], counts: number[]) => ({
      attributes: { 'gen_ai.request.model': 'mixed-bounds', 'app.team': service },
      startUnixMs: timeUnixMs - 1000,
      timeUnixMs,
      bounds,
      counts,
    });
    await sendMetrics(server.otlpUrl, [
      explicitHistogram(DURATION, 's', DELTA, [
        // 19 calls in (1.28, 2.56] s and one above 81.92 s.
        point('advisory', ADVISORY_BOUNDS, countsWith(ADVISORY_BOUNDS, { 8: 19, 14: 1 })),
        // 20 calls in (0, 5] s.
        point('defaults', SDK_DEFAULT_BOUNDS, countsWith(SDK_DEFAULT_BOUNDS, { 1: 20 })),
      ]),
    ]);

    const mixed = await group('mixed-bounds');
    expect(mixed.requests).toBe(40);
    // Rank 39.6 of 40 is the call above 81.92 s, in the merged bucket (81.92, 100] s.
    expect(mixed.latencyMs.p99).toBeGreaterThan(81_920);
    expect(mixed.latencyMs.p99).toBeLessThanOrEqual(100_000);
  });

  it('gives no percentile without bounds', async () => {
    const timeUnixMs = Date.now();
    await sendMetrics(server.otlpUrl, [
      explicitHistogram(DURATION, 's', DELTA, [
        {
          attributes: { 'gen_ai.request.model': 'no-bounds' },
          startUnixMs: timeUnixMs - 1000,
          timeUnixMs,
          bounds: [],
          counts: [10],
        },
      ]),
    ]);

    const noBounds = await group('no-bounds');
    expect(noBounds.requests).toBe(10);
    expect(noBounds.latencyMs.p50).toBeNull();
  });

  it('ignores the max of calls in a baseline', async () => {
    // The series started before Foghorn, so its first point is a baseline: 50 calls, one of
    // 60 s. The next point adds 10 calls above the last bound of 10 s.
    const appStartMs = Date.now() - 30 * 60_000;
    const attributes = { 'gen_ai.request.model': 'baseline-max' };
    const bounds = [1, 10];
    for (const [timeUnixMs, counts] of [
      [Date.now() - 2000, [10, 39, 1]],
      [Date.now() - 1000, [10, 39, 11]],
    ] as const) {
      await sendMetrics(server.otlpUrl, [
        explicitHistogram(DURATION, 's', CUMULATIVE, [
          {
            attributes,
            startUnixMs: appStartMs,
            timeUnixMs,
            bounds,
            counts: [...counts],
            min: 0.5,
            max: 60,
          },
        ]),
      ]);
    }

    // The window contains the series' start, yet the max belongs to the baseline's calls.
    const baseline = await group('baseline-max', appStartMs - 60_000);
    expect(baseline.requests).toBe(10);
    expect(baseline.latencyMs.p99).toBeCloseTo(10_000, 6);
  });
});
