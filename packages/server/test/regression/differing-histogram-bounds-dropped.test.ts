import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CUMULATIVE,
  DELTA,
  explicitHistogram,
  exponentialHistogram,
  sendMetrics,
} from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Percentiles merged only histogram points with the bounds of the group's first point and
// dropped the others: exponential points with another offset or scale, explicit points
// with other bounds, and every point after an empty baseline point.

const DURATION = 'gen_ai.client.operation.duration';

describe('histogram points with differing bounds', () => {
  let server: TestServer;
  let fromMs: number;
  let startMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    startMs = Date.now();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function group(model: string): Promise<any> {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    return body.groups.find((candidate: any) => candidate.key === model);
  }

  it('merges exponential offsets', async () => {
    const attributes = { 'gen_ai.request.model': 'exponential-offsets' };
    // Scale 0: 10 calls in (1, 2] s (offset 0), then 10 in (8, 16] s (offset 3).
    for (const [index, offset] of [0, 3].entries()) {
      await sendMetrics(server.otlpUrl, [
        exponentialHistogram(DURATION, 's', DELTA, [
          {
            attributes,
            startUnixMs: startMs + index * 1000,
            timeUnixMs: startMs + (index + 1) * 1000,
            scale: 0,
            offset,
            counts: [10],
          },
        ]),
      ]);
    }
    const merged = await group('exponential-offsets');
    expect(merged.requests).toBe(20);
    // Rank 19 of 20 is 9 of the 10 calls into (8000, 16000]: 8000 + 8000 x 0.9.
    expect(merged.latencyMs.p95).toBeCloseTo(15_200, 6);
    expect(merged.latencyBucketBoundsMs).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(merged.approximateLatencyRangesMs).toEqual([]);
  });

  it('merges exponential scales', async () => {
    const attributes = { 'gen_ai.request.model': 'exponential-scales' };
    // Scale 1, offset 0: 4 calls in (1, 1.414] s. Scale 0, offset 1: 4 calls in (2, 4] s.
    // At the common scale 0 the first 4 calls lie in (1, 2] s.
    await sendMetrics(server.otlpUrl, [
      exponentialHistogram(DURATION, 's', DELTA, [
        {
          attributes,
          startUnixMs: startMs,
          timeUnixMs: startMs + 1000,
          scale: 1,
          offset: 0,
          counts: [4],
        },
      ]),
    ]);
    await sendMetrics(server.otlpUrl, [
      exponentialHistogram(DURATION, 's', DELTA, [
        {
          attributes,
          startUnixMs: startMs + 1000,
          timeUnixMs: startMs + 2000,
          scale: 0,
          offset: 1,
          counts: [4],
        },
      ]),
    ]);
    const merged = await group('exponential-scales');
    expect(merged.requests).toBe(8);
    // Rank 4 of 8 ends (1000, 2000]; rank 7.6 is 3.6 of the 4 calls into (2000, 4000].
    expect(merged.latencyMs.p50).toBeCloseTo(2000, 6);
    expect(merged.latencyMs.p95).toBeCloseTo(3800, 6);
    expect(merged.latencyBucketBoundsMs).toEqual([1000, 2000, 4000]);
  });

  it('merges explicit bounds of two services', async () => {
    const attributes = { 'gen_ai.request.model': 'two-services' };
    // Service A's bounds 1, 2 s: 10 calls in (1, 2]. Service B's 1, 2, 4 s: 10 in (2, 4].
    await sendMetrics(
      server.otlpUrl,
      [
        explicitHistogram(DURATION, 's', DELTA, [
          {
            attributes,
            startUnixMs: startMs,
            timeUnixMs: startMs + 1000,
            bounds: [1, 2],
            counts: [0, 10, 0],
          },
        ]),
      ],
      { 'service.name': 'service-a' },
    );
    await sendMetrics(
      server.otlpUrl,
      [
        explicitHistogram(DURATION, 's', DELTA, [
          {
            attributes,
            startUnixMs: startMs,
            timeUnixMs: startMs + 1000,
            bounds: [1, 2, 4],
            counts: [0, 0, 10, 0],
          },
        ]),
      ],
      { 'service.name': 'service-b' },
    );
    const merged = await group('two-services');
    expect(merged.requests).toBe(20);
    // Rank 19 of 20 is 9 of B's 10 calls into (2000, 4000].
    expect(merged.latencyMs.p95).toBeCloseTo(3800, 6);
    expect(merged.latencyBucketBoundsMs).toEqual([1000, 2000, 4000]);
    // Each source bucket matches one merged bucket, so no count was spread.
    expect(merged.approximateLatencyRangesMs).toEqual([]);
  });

  it('spreads a wider bucket and reports it', async () => {
    const attributes = { 'gen_ai.request.model': 'wide-bucket' };

    // Service A's bounds 1, 4 s: 10 calls in (1, 4]. Service B's 1, 2, 4 s: 10 in (1, 2].
    // A's calls spread evenly over (1, 4] put 10/3 of them in (1, 2], so rank 10 of 20 lies
    // 10 / (10 + 10/3) = 0.75 into (1000, 2000].
    await sendMetrics(
      server.otlpUrl,
      [
        explicitHistogram(DURATION, 's', DELTA, [
          {
            attributes,
            startUnixMs: startMs,
            timeUnixMs: startMs + 1000,
            bounds: [1, 4],
            counts: [0, 10, 0],
          },
        ]),
      ],
      { 'service.name': 'service-a' },
    );
    await sendMetrics(
      server.otlpUrl,
      [
        explicitHistogram(DURATION, 's', DELTA, [
          {
            attributes,
            startUnixMs: startMs,
            timeUnixMs: startMs + 1000,
            bounds: [1, 2, 4],
            counts: [0, 10, 0, 0],
          },
        ]),
      ],
      { 'service.name': 'service-b' },
    );

    const merged = await group('wide-bucket');
    expect(merged.requests).toBe(20);
    expect(merged.latencyMs.p50).toBeCloseTo(1750, 6);
    expect(merged.latencyBucketBoundsMs).toEqual([1000, 2000, 4000]);
    expect(merged.approximateLatencyRangesMs).toEqual([[1000, 4000]]);
    // Median and p95 both lie in A's bucket (1000, 4000], which spans a factor of 4.
    expect(merged.coarseLatencyBuckets).toBe(true);
  });

  it('skips an empty baseline point', async () => {
    const attributes = { 'gen_ai.request.model': 'baseline' };
    // The app started an hour before the server, so its first cumulative point (4 calls
    // in (1, 2] s) is the baseline and adds nothing. Export 2 adds 6 calls in (2, 4] s.
    const appStartMs = startMs - 3_600_000;
    for (const [index, counts] of [[4], [4, 6]].entries()) {
      await sendMetrics(server.otlpUrl, [
        exponentialHistogram(DURATION, 's', CUMULATIVE, [
          {
            attributes,
            startUnixMs: appStartMs,
            timeUnixMs: startMs + (index + 1) * 1000,
            scale: 0,
            offset: 0,
            counts,
          },
        ]),
      ]);
    }
    const baseline = await group('baseline');
    expect(baseline.requests).toBe(6);
    // Rank 3 of 6 is halfway into (2000, 4000].
    expect(baseline.latencyMs.p50).toBeCloseTo(3000, 6);
    expect(baseline.latencyBucketBoundsMs).toEqual([2000, 4000]);
  });
});
