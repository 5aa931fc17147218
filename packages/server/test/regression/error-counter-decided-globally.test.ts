import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DELTA,
  explicitHistogram,
  sendMetrics,
  sumMetric,
} from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The metrics summary decided for the whole window whether duration points carry errors.
// One service sending error.type on its durations made the error counter of every other
// service be ignored, so their failed calls were missing from requests and errors.

describe('error counter with durations that carry errors elsewhere', () => {
  let server: TestServer;
  let fromMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    fromMs = Date.now() - 60_000;
    const timeUnixMs = Date.now();
    const durations = (attributes: Record<string, string>, calls: number) => ({
      attributes,
      startUnixMs: timeUnixMs - 1000,
      timeUnixMs,
      bounds: [1, 2, 4],
      counts: [0, calls, 0, 0],
    });
    const errors = (attributes: Record<string, string>, value: number) =>
      sumMetric('gen_ai.errors', DELTA, true, [
        { attributes, startUnixMs: timeUnixMs - 1000, timeUnixMs, value },
      ]);
    // "semconv" follows the GenAI conventions: 3 successful calls and 1 timeout in the
    // duration histogram. Its error counter repeats the timeout and must not add to it.
    await sendMetrics(
      server.otlpUrl,
      [
        explicitHistogram('gen_ai.client.operation.duration', 's', DELTA, [
          durations({ 'gen_ai.request.model': 'm' }, 3),
          durations({ 'gen_ai.request.model': 'm', 'error.type': 'timeout' }, 1),
        ]),
        errors({ 'gen_ai.request.model': 'm', 'error.type': 'timeout' }, 1),
      ],
      { 'service.name': 'semconv' },
    );
    // "examples" follows the OTel metrics examples: durations of 5 successful calls and
    // 2 failed calls in gen_ai.errors.
    await sendMetrics(
      server.otlpUrl,
      [
        explicitHistogram('gen_ai.request.duration', 's', DELTA, [durations({ model: 'm' }, 5)]),
        errors({ model: 'm', error_type: 'RateLimitError' }, 2),
      ],
      { 'service.name': 'examples' },
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  it('is decided per service', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=service&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    const byService = Object.fromEntries(body.groups.map((group: any) => [group.key, group]));
    expect(byService.semconv.requests).toBe(4);
    expect(byService.semconv.errors).toBe(1);
    expect(byService.examples.requests).toBe(7);
    expect(byService.examples.errors).toBe(2);
  });

  it('adds up across services', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${fromMs}&to=${Date.now() + 60_000}`,
    );
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0].requests).toBe(11);
    expect(body.groups[0].errors).toBe(3);
  });
});
