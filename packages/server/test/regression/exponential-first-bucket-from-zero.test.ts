import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELTA, exponentialHistogram, sendMetrics } from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Exponential buckets became explicit bounds with a bound of 0 in front of the first
// populated bucket, so percentiles in that bucket were interpolated from 0 instead of
// from its lower boundary base^offset.

const DURATION = 'gen_ai.client.operation.duration';

describe('exponential histogram first bucket', () => {
  let server: TestServer;
  let fromMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    const timeUnixMs = Date.now();
    await sendMetrics(server.otlpUrl, [
      exponentialHistogram(DURATION, 'ms', DELTA, [
        // Scale 0, offset 10: one bucket (1024, 2048] ms holding 10 calls.
        {
          attributes: { 'gen_ai.request.model': 'offset-only' },
          startUnixMs: timeUnixMs - 1000,
          timeUnixMs,
          scale: 0,
          offset: 10,
          counts: [10],
        },
        // 4 calls in the zero bucket and 4 in (1024, 2048] ms.
        {
          attributes: { 'gen_ai.request.model': 'with-zeros' },
          startUnixMs: timeUnixMs - 1000,
          timeUnixMs,
          scale: 0,
          offset: 10,
          counts: [4],
          zeroCount: 4,
        },
      ]),
    ]);
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

  it('interpolates from base^offset', async () => {
    const offsetOnly = await group('offset-only');
    expect(offsetOnly.requests).toBe(10);
    // Rank 5 of 10 is halfway into (1024, 2048]: 1024 + 1024 x 0.5.
    expect(offsetOnly.latencyMs.p50).toBeCloseTo(1536, 6);
    // Rank 9.5 of 10: 1024 + 1024 x 0.95.
    expect(offsetOnly.latencyMs.p95).toBeCloseTo(1996.8, 6);
    expect(offsetOnly.latencyBucketBoundsMs).toEqual([1024, 2048]);
  });

  it('keeps 0 for the zero bucket', async () => {
    const withZeros = await group('with-zeros');
    expect(withZeros.requests).toBe(8);
    // Rank 4 of 8 is the last call of the zero bucket.
    expect(withZeros.latencyMs.p50).toBeCloseTo(0, 6);
    // Rank 7.6 of 8 is 3.6 calls into the 4 of (1024, 2048]: 1024 + 1024 x 0.9.
    expect(withZeros.latencyMs.p95).toBeCloseTo(1945.6, 6);
    expect(withZeros.latencyBucketBoundsMs).toEqual([0, 1024, 2048]);
  });
});
