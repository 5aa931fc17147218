import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELTA, explicitHistogram, sendMetrics } from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Grouping the metrics summary by responseModel used the requested model, so calls to an
// alias showed under the alias instead of the model version that served them.

describe('metrics summary by response model', () => {
  let server: TestServer;
  let fromMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    const timeUnixMs = Date.now();
    const point = (attributes: Record<string, string>, calls: number) => ({
      attributes,
      startUnixMs: timeUnixMs - 1000,
      timeUnixMs,
      bounds: [1, 2, 4],
      counts: [0, calls, 0, 0],
    });
    await sendMetrics(server.otlpUrl, [
      explicitHistogram('gen_ai.client.operation.duration', 's', DELTA, [
        point(
          { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06' },
          2,
        ),
        // Without a response model the call falls in the null group, as a span would.
        point({ 'gen_ai.request.model': 'gpt-4o' }, 3),
      ]),
    ]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('groups by gen_ai.response.model', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=responseModel&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    expect(body.source).toBe('metrics');
    const requests = Object.fromEntries(
      body.groups.map((group: any) => [String(group.key), group.requests]),
    );
    expect(requests).toEqual({ 'gpt-4o-2024-08-06': 2, null: 3 });
  });
});
