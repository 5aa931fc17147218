import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failLoaderCommits, interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Ten minutes ago, so the spans are inside every default window. */
const START_MS = Date.now() - 10 * 60_000;

/** Builds an OTLP/JSON request with `count` gpt-4o calls of one trace. */
function chatCalls(count: number, traceDigit = '5'): string {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId: traceDigit.repeat(32),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: String(BigInt(START_MS + i) * 1_000_000n),
    endTimeUnixNano: String(BigInt(START_MS + i + 100) * 1_000_000n),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: 10 } },
    ],
  }));
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'chat-api' } }] },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  });
}

describe('ingest log routes', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  async function storedCalls(): Promise<number> {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${START_MS - 60_000}&to=${START_MS + 60_000}`,
    );
    return (body.groups as { requests: number }[]).reduce((sum, group) => sum + group.requests, 0);
  }

  function sendCalls(count: number, traceDigit?: string): Promise<Response> {
    return fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatCalls(count, traceDigit),
    });
  }

  it('lists and retries set-aside batches', async () => {
    let failing = true;
    failLoaderCommits(server.store, () => failing);
    const sent = await sendCalls(3);
    expect(sent.status).toBe(200);
    expect(await storedCalls()).toBe(0);

    const listed = await server.getJson('/api/v1/ingest-log/set-aside');
    expect(listed.status).toBe(200);
    expect(listed.body.damaged).toEqual([]);
    expect(listed.body.rejected).toHaveLength(1);
    expect(listed.body.rejected[0].seq).toBe(1);
    expect(listed.body.rejected[0].spans).toBe(3);
    expect(listed.body.rejected[0].bytes).toBeGreaterThan(0);

    failing = false;
    const retried = await fetch(`${server.url}/api/v1/ingest-log/set-aside/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual({ batches: 1, spans: 3 });
    expect(await storedCalls()).toBe(3);
    expect((await server.getJson('/api/v1/ingest-log/set-aside')).body).toEqual({
      rejected: [],
      damaged: [],
    });
  });

  it('a stopped loader fails the retry', async () => {
    let failure = 'Conversion Error: a value this column cannot hold';
    interceptDuckDbRun(server.store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT') throw new Error(failure);
      return run();
    });
    expect((await sendCalls(2)).status).toBe(200);
    await storedCalls();
    // DuckDB's message once a failed checkpoint has invalidated the file stops the loader.
    failure =
      'IO Error: Database "foghorn" has been invalidated because checkpointing failed. Original error: No space left on device';
    expect((await sendCalls(1, '6')).status).toBe(200);
    await storedCalls();

    const retried = await fetch(`${server.url}/api/v1/ingest-log/set-aside/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(503);
    const { error } = (await retried.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('SET_ASIDE_RETRY_FAILED');
    expect(error.message).toContain('retrying the set-aside ingest batches stopped');
    expect(error.message).toContain('has been invalidated because checkpointing failed');
    const listed = await server.getJson('/api/v1/ingest-log/set-aside');
    expect(listed.body.rejected.map((record: { spans: number }) => record.spans)).toEqual([2]);
  });
});
