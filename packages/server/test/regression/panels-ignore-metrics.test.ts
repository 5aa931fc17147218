import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELTA, explicitHistogram, sendMetrics } from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Only the summary fell back to metrics. The time series, cost and time-to-first-token
// endpoints read spans alone, so an application that sends only metrics got empty graphs,
// a cost of 0 and no time to first token.

const STEP_MS = 60_000;

describe('panels of an application that sends only metrics', () => {
  let server: TestServer;
  let fromMs: number;
  let timeUnixMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 10 * STEP_MS;
    timeUnixMs = Date.now();
    const point = (bounds: number[], counts: number[], attributes = {}, sum = 0) => ({
      attributes: { 'gen_ai.request.model': 'gpt-4o', ...attributes },
      startUnixMs: timeUnixMs - 1000,
      timeUnixMs,
      bounds,
      counts,
      sum,
    });
    await sendMetrics(
      server.otlpUrl,
      [
        // 4 calls in (1, 2] s, one of them failed.
        explicitHistogram('gen_ai.client.operation.duration', 's', DELTA, [
          point([1, 2, 4], [0, 3, 0, 0]),
          point([1, 2, 4], [0, 1, 0, 0], { 'error.type': 'timeout' }),
        ]),
        // 8000 input tokens over the 4 calls.
        explicitHistogram('gen_ai.client.token.usage', '{token}', DELTA, [
          point([1000, 4000], [0, 4, 0], { 'gen_ai.token.type': 'input' }, 8000),
        ]),
        // The 4 calls streamed their first chunk within (0, 1] s.
        explicitHistogram('gen_ai.client.operation.time_to_first_chunk', 's', DELTA, [
          point([1, 2, 4], [4, 0, 0, 0]),
        ]),
      ],
      { 'service.name': 'metrics-only' },
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  function window(): string {
    return `from=${fromMs}&to=${Date.now() + STEP_MS}&stepMs=${STEP_MS}`;
  }

  it('time series reads metrics', async () => {
    const { status, body } = await server.getJson(`/api/v1/llm/timeseries?${window()}`);
    expect(status).toBe(200);
    expect(body.source).toBe('metrics');
    expect(body.series).toHaveLength(1);
    const points = body.series[0].points;
    expect(points).toHaveLength(1);
    expect(points[0].t).toBe(Math.floor(timeUnixMs / STEP_MS) * STEP_MS);
    expect(points[0].requests).toBe(4);
    expect(points[0].errors).toBe(1);
    expect(points[0].tokens.input).toBe(8000);
    // Rank 2 of 4 is halfway into (1000, 2000].
    expect(points[0].latencyMs.p50).toBeCloseTo(1500, 6);
    // 8000 input tokens of gpt-4o at $2.50 per million.
    expect(points[0].costUsd).toBeCloseTo(0.02, 12);
  });

  it('time series groups metrics', async () => {
    const { body } = await server.getJson(`/api/v1/llm/timeseries?${window()}&groupBy=errorType`);
    const requests = Object.fromEntries(
      body.series.map((series: any) => [String(series.key), series.points[0].requests]),
    );
    expect(requests).toEqual({ timeout: 1, null: 3 });
  });

  it('cost reads metrics', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/cost?from=${fromMs}&to=${Date.now() + STEP_MS}`,
    );
    expect(body.source).toBe('metrics');
    expect(body.totalCostUsd).toBeCloseTo(0.02, 12);
    expect(body.unpricedRequests).toBe(0);
    expect(body.hourlyCostUsd).toBeGreaterThan(0);
  });

  it('time to first token reads metrics', async () => {
    const { body } = await server.getJson(`/api/v1/llm/ttft?${window()}&groupBy=model`);
    expect(body.source).toBe('metrics');
    expect(body.series).toHaveLength(1);
    expect(body.series[0].key).toBe('gpt-4o');
    const [point] = body.series[0].points;
    expect(point.requests).toBe(4);
    // Rank 2 of 4 is halfway into (0, 1000].
    expect(point.p50).toBeCloseTo(500, 6);
    expect(point.p95).toBeCloseTo(950, 6);
  });

  it('time to first token reads the 0.1.0 name', async () => {
    // The GenAI conventions 0.1.0 renamed the metric to gen_ai.client.inference.*.
    const startUnixMs = Date.now() - 2000;
    await sendMetrics(
      server.otlpUrl,
      [
        explicitHistogram('gen_ai.client.inference.time_to_first_chunk', 's', DELTA, [
          {
            attributes: { 'gen_ai.request.model': 'gpt-4.1-nano' },
            startUnixMs,
            timeUnixMs: startUnixMs + 1000,
            bounds: [1, 2, 4],
            counts: [0, 2, 0, 0],
            sum: 3,
          },
        ]),
      ],
      { 'service.name': 'metrics-only' },
    );

    const { body } = await server.getJson(
      `/api/v1/llm/ttft?${window()}&groupBy=model&model=gpt-4.1-nano`,
    );
    expect(body.source).toBe('metrics');
    expect(body.series[0].points[0].requests).toBe(2);
  });
});
