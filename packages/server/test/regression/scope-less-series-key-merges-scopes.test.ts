import { afterEach, describe, expect, it } from 'vitest';
import {
  AGGREGATION_TEMPORALITY,
  TOKENS_METRIC,
  exportMetrics,
  metricsRequest,
  storedIncrease,
  tokenSum,
} from '../helpers/metrics-ingest-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The key of a cumulative series was its metric name, resource and attributes, without the
// instrumentation scope. Two scopes reporting the same metric and attributes shared one
// state, so the second scope's point at the same time was taken as a repeat and dropped.
// Keys now include the scope name and version, and a state saved under the old key carries
// over to the first series that matches it.

const CUMULATIVE = AGGREGATION_TEMPORALITY.cumulative;

describe('series keys with instrumentation scopes', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    // A restarted server reuses the data directory of the first, so stop the last one first.
    for (const server of servers.splice(0).reverse()) await server.stop().catch(() => undefined);
  });

  /** Sends one cumulative point of `model` from scope `name`@`version`; one collection stamps all scopes with one time. */
  async function sendFromScope(
    server: TestServer,
    model: string,
    scope: { name: string; version: string },
    point: { startMs: number; timeMs: number; value: number },
  ): Promise<void> {
    const body = metricsRequest([tokenSum(model, CUMULATIVE, [point])], { scope });
    expect((await exportMetrics(server.otlpUrl, body)).status).toBe(200);
  }

  it('scopes keep separate series', async () => {
    const server = await startTestServer();
    servers.push(server);
    const fromMs = Date.now() - 60_000;
    const point = { startMs: Date.now(), timeMs: Date.now() + 1000 };

    await sendFromScope(
      server,
      'two-scopes',
      { name: 'openai.instrumentation', version: '1.0.0' },
      { ...point, value: 300 },
    );
    await sendFromScope(
      server,
      'two-scopes',
      { name: 'langchain.instrumentation', version: '1.0.0' },
      { ...point, value: 500 },
    );

    expect(await storedIncrease(server.store, 'two-scopes', fromMs)).toBe(800);
  });

  it('scope versions keep separate series', async () => {
    const server = await startTestServer();
    servers.push(server);
    const fromMs = Date.now() - 60_000;
    const point = { startMs: Date.now(), timeMs: Date.now() + 1000 };

    await sendFromScope(
      server,
      'two-versions',
      { name: 'openai.instrumentation', version: '1.0.0' },
      { ...point, value: 70 },
    );
    await sendFromScope(
      server,
      'two-versions',
      { name: 'openai.instrumentation', version: '2.0.0' },
      { ...point, value: 30 },
    );

    expect(await storedIncrease(server.store, 'two-versions', fromMs)).toBe(100);
  });

  it('legacy state continues after upgrade', async () => {
    const fromMs = Date.now() - 60_000;
    // The app started before Foghorn, so without the saved state its point is only a baseline.
    const appStartMs = Date.now() - 3_600_000;
    const first = await startTestServer();
    servers.push(first);
    // The state that a Foghorn before scoped keys saved for 100 tokens.
    const legacyKey =
      `${TOKENS_METRIC}\u0000{"service.name":"metrics-ingest-test"}\u0000` +
      '{"gen_ai.request.model":"upgraded","gen_ai.token.type":"input"}';
    const savedState = {
      startTimeUnixNano: BigInt(appStartMs) * 1_000_000n,
      timeUnixNano: BigInt(Date.now() - 1000) * 1_000_000n,
      value: 100,
      count: 0,
      sum: 0,
      bucketCounts: [],
      exponential: null,
    };
    await first.store.writeMetricPoints('default', [], [[legacyKey, savedState]]);
    await first.close();
    const second = await startTestServer({ dataDir: first.dataDir });
    servers.push(second);

    await sendFromScope(
      second,
      'upgraded',
      { name: 'openai.instrumentation', version: '1.0.0' },
      {
        startMs: appStartMs,
        timeMs: Date.now(),
        value: 180,
      },
    );

    // 180 - 100: neither the full 180 of a new series nor the 0 of a baseline.
    expect(await storedIncrease(second.store, 'upgraded', fromMs)).toBe(80);
  });
});
