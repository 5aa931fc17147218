import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CUMULATIVE,
  DELTA,
  explicitHistogram,
  sendMetrics,
} from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// A cumulative histogram's max covers every call since the series started. A window that
// began after the start took it as the max of its own calls, so a slow call before the
// window set the window's p99.

const DURATION = 'gen_ai.client.operation.duration';

describe('histogram max of a cumulative series', () => {
  let server: TestServer;
  let seriesStartMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    seriesStartMs = Date.now();
    const attributes = { 'gen_ai.request.model': 'cumulative' };
    // Export 1: one call of 30 s. Export 2 adds 3 calls in (1, 2] s and one of 2.5 s.
    await sendMetrics(server.otlpUrl, [
      explicitHistogram(DURATION, 's', CUMULATIVE, [
        {
          attributes,
          startUnixMs: seriesStartMs,
          timeUnixMs: seriesStartMs + 1000,
          bounds: [1, 2],
          counts: [0, 0, 1],
          sum: 30,
          min: 30,
          max: 30,
        },
      ]),
    ]);
    await sendMetrics(server.otlpUrl, [
      explicitHistogram(DURATION, 's', CUMULATIVE, [
        {
          attributes,
          startUnixMs: seriesStartMs,
          timeUnixMs: seriesStartMs + 5000,
          bounds: [1, 2],
          counts: [0, 3, 2],
          sum: 37,
          min: 1.5,
          max: 30,
        },
      ]),
      // A delta point's max covers its own calls: one of 1.5 s and one of 7 s.
      explicitHistogram(DURATION, 's', DELTA, [
        {
          attributes: { 'gen_ai.request.model': 'delta' },
          startUnixMs: seriesStartMs + 4000,
          timeUnixMs: seriesStartMs + 5000,
          bounds: [1, 2],
          counts: [0, 1, 1],
          sum: 8.5,
          min: 1.5,
          max: 7,
        },
      ]),
    ]);
  });
  afterAll(async () => {
    await server.stop();
  });

  async function group(model: string, fromMs: number): Promise<any> {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    return body.groups.find((candidate: any) => candidate.key === model);
  }

  it('is not used after the series start', async () => {
    const windowed = await group('cumulative', seriesStartMs + 3000);
    expect(windowed.requests).toBe(4);
    // p99 falls in the +Inf bucket, whose only call in the window took 2.5 s. No max
    // describes the window, so the estimate is the largest finite bound.
    expect(windowed.latencyMs.p99).toBeCloseTo(2000, 6);
  });

  it('is used when the series starts inside', async () => {
    const whole = await group('cumulative', seriesStartMs - 60_000);
    expect(whole.requests).toBe(5);
    expect(whole.latencyMs.p99).toBeCloseTo(30_000, 6);
  });

  it('of a delta point is used', async () => {
    const delta = await group('delta', seriesStartMs + 3000);
    expect(delta.requests).toBe(2);
    expect(delta.latencyMs.p99).toBeCloseTo(7000, 6);
  });
});
