import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELTA, sendMetrics, sumMetric } from '../helpers/metrics-fallback-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// In-flight requests from a delta up-down counter averaged the changes it reports, not the
// levels they add up to.

const HOUR_MS = 3_600_000;

describe('in-flight requests from a delta up-down counter', () => {
  let server: TestServer;
  let windowStartMs: number;

  beforeAll(async () => {
    server = await startTestServer();
    // The last whole hour before the current one.
    windowStartMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
    const change = (key: string, atMs: number, value: number) => ({
      attributes: { model: key },
      startUnixMs: atMs - 60_000,
      timeUnixMs: atMs,
      value,
    });
    const minute = 60_000;
    await sendMetrics(server.otlpUrl, [
      sumMetric('gen_ai.requests.active', DELTA, false, [
        // Series "window-only": +3 then -1 inside the window, so its levels are 3 and 2.
        change('window-only', windowStartMs + 10 * minute, 3),
        change('window-only', windowStartMs + 20 * minute, -1),
        // Series "earlier": +2 ten minutes before the window, then +3 and -1 inside it,
        // so its levels in the window are 5 and 4.
        change('earlier', windowStartMs - 10 * minute, 2),
        change('earlier', windowStartMs + 10 * minute, 3),
        change('earlier', windowStartMs + 20 * minute, -1),
      ]),
    ]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('averages the levels', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/inflight?from=${windowStartMs}&to=${windowStartMs + HOUR_MS}&stepMs=${HOUR_MS}&model=window-only`,
    );
    expect(body.source).toBe('metric');
    expect(body.points).toEqual([{ t: windowStartMs, inflight: 2.5 }]);
  });

  it('starts from the level before the window', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/inflight?from=${windowStartMs}&to=${windowStartMs + HOUR_MS}&stepMs=${HOUR_MS}&model=earlier`,
    );
    expect(body.points).toEqual([{ t: windowStartMs, inflight: 4.5 }]);
  });

  it('sums the series', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/inflight?from=${windowStartMs}&to=${windowStartMs + HOUR_MS}&stepMs=${HOUR_MS}`,
    );
    expect(body.points).toEqual([{ t: windowStartMs, inflight: 7 }]);
  });
});
