import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckDbInstanceOf } from '../../src/store/duckdb/duckdb-store.ts';
import { COMMIT_OUT_OF_MEMORY, interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const TRACE_ID = '3e3000000000000000000000000000a1';

/** Builds an OTLP/JSON request of `count` LLM calls in one trace, starting now. */
function callsBody(count: number): string {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: TRACE_ID,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: `${nowNs + BigInt(i) * 1_000_000n}`,
    endTimeUnixNano: `${nowNs + BigInt(i + 1) * 1_000_000n}`,
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '120' } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '30' } },
      { key: 'gen_ai.prompt', value: { stringValue: 'x'.repeat(2000) } },
    ],
  }));
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

describe('DuckDB at its memory limit', () => {
  let server: TestServer;
  let connection: DuckDBConnection;

  beforeEach(async () => {
    server = await startTestServer();
    connection = await duckDbInstanceOf(server.store)!.connect();
  });
  afterEach(async () => {
    connection.closeSync();
    await server.stop();
  });

  async function requestsOfLastHour(): Promise<{ status: number; body: any }> {
    const now = Date.now();
    return server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${now - 3_600_000}&to=${now + 3_600_000}`,
    );
  }

  it('acknowledges, degrades, then catches up', async () => {
    await connection.run("SET memory_limit = '1MB'");
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: callsBody(300),
    });
    expect(response.status).toBe(200);

    // The summary does not wait for the stalled loader, and DuckDB rejects it for lack of memory.
    const rejected = await requestsOfLastHour();
    expect(rejected.status).toBe(503);
    expect(rejected.body.error.code).toBe('OUT_OF_MEMORY');
    expect(rejected.body.error.message).toMatch(
      /^the store reached its memory limit while answering \(.*allocate.*\); retry in a few seconds, narrow the time range, or start Foghorn with a larger --memory-limit$/,
    );
    const health = await server.getJson('/healthz');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.reason).toMatch(
      /^DuckDB reached its memory limit while loading ingest log record 1, so spans acknowledged since then are not queryable yet: /,
    );

    // Logged spans would load after an erasure, so it waits for the loader.
    const erasure = await fetch(`${server.url}/api/v1/privacy/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'someone' }),
    });
    expect(erasure.status).toBe(503);
    expect(erasure.headers.get('retry-after')).toBe('5');
    const erasureError = (await erasure.json()) as { error: { code: string; message: string } };
    expect(erasureError.error.code).toBe('STORE_OUT_OF_MEMORY');
    expect(erasureError.error.message).toMatch(
      /^emptying the ingest log cannot run while DuckDB is at its memory limit: ingest log records 1 to 1 are not loaded yet/,
    );

    await connection.run("SET memory_limit = '1GB'");
    const deadline = Date.now() + 10_000;
    while ((await server.getJson('/healthz')).body.status !== 'ok') {
      if (Date.now() > deadline) throw new Error('the loader did not catch up within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const summary = await requestsOfLastHour();
    expect(summary.status).toBe(200);
    expect(summary.body.groups.map((group: any) => [group.key, group.requests])).toEqual([
      ['gpt-4o', 300],
    ]);
  });

  it('a halt is no retry', async () => {
    interceptDuckDbRun(server.store, 'writer', async (sql, run) => {
      if (sql !== 'COMMIT') return run();
      throw new Error(COMMIT_OUT_OF_MEMORY);
    });
    const ingest = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: callsBody(3),
    });
    expect(ingest.status).toBe(200);
    expect((await requestsOfLastHour()).body.groups).toEqual([]);
    const health = await server.getJson('/healthz');
    expect(health.status).toBe(503);
    expect(health.body.reason).toMatch(/^a COMMIT of spans failed at DuckDB's memory limit/);

    // The reason quotes DuckDB's memory error, yet waiting does not help: a restart does.
    const erasure = await fetch(`${server.url}/api/v1/privacy/erasure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'someone' }),
    });
    expect(erasure.status).toBe(503);
    expect(erasure.headers.get('retry-after')).toBeNull();
    const body = (await erasure.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('STORE_HALTED');
    expect(body.error.message).toBe(health.body.reason);
  });
});
