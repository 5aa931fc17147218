import { afterEach, describe, expect, it } from 'vitest';
import {
  AGGREGATION_TEMPORALITY,
  exportMetrics,
  metricsRequest,
  storedIncrease,
  tokenSum,
} from '../helpers/metrics-ingest-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The key of a cumulative series was its metric name, resource and attributes, without the
// instrumentation scope. Two scopes reporting the same metric and attributes shared one
// state, so the second scope's point at the same time was taken as a repeat and dropped.
// Keys now include the scope name and version.

const CUMULATIVE = AGGREGATION_TEMPORALITY.cumulative;

describe('series keys with instrumentation scopes', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
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
});
