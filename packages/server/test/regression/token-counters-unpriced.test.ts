import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELTA, sendMetrics, sumMetric } from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The metrics summary priced only models that had a duration metric, so token counters
// sent without one got no cost.

describe('token counters without durations', () => {
  let server: TestServer;
  let fromMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    const timeUnixMs = Date.now();
    const tokens = (model: string, tokenType: string, value: number) => ({
      attributes: { model, token_type: tokenType, 'tenant.id': model },
      startUnixMs: timeUnixMs - 1000,
      timeUnixMs,
      value,
    });
    await sendMetrics(server.otlpUrl, [
      sumMetric('gen_ai.tokens.consumed', DELTA, true, [
        tokens('gpt-4o', 'input', 8000),
        tokens('gpt-4o', 'output', 1600),
        tokens('house-model-7b', 'input', 500),
      ]),
    ]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('are priced', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=tenant&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    const byTenant = Object.fromEntries(body.groups.map((group: any) => [group.key, group]));
    expect(byTenant['gpt-4o'].requests).toBe(0);
    expect(byTenant['gpt-4o'].tokens.input).toBe(8000);
    // 8000 input tokens at $2.50 per million plus 1600 output tokens at $10 per million.
    expect(byTenant['gpt-4o'].costUsd).toBeCloseTo(0.036, 12);
    // A model without a price keeps a null cost, never 0.
    expect(byTenant['house-model-7b'].costUsd).toBeNull();
  });
});
