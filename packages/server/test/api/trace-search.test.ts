import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeSpan } from './span-factory.ts';

const START_MS = Date.UTC(2026, 9, 5, 10, 0, 0);
const WINDOW = `from=${START_MS - 60_000}&to=${START_MS + 3_600_000}`;
const TRACE_FAST = 'a'.repeat(32);
const TRACE_SLOW_ERROR = 'b'.repeat(32);
const TRACE_RAG = 'c'.repeat(32);
const TRACE_ORPHAN = 'd'.repeat(32);

function traffic() {
  return [
    makeSpan({
      traceId: TRACE_FAST,
      spanId: '1'.repeat(16),
      startMs: START_MS,
      durationMs: 300,
      isLlmCall: false,
      name: 'answer',
      tenant: 'acme',
      feature: 'chat',
    }),
    makeSpan({
      traceId: TRACE_FAST,
      spanId: '2'.repeat(16),
      parentSpanId: '1'.repeat(16),
      startMs: START_MS + 10,
      durationMs: 250,
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.001,
      tenant: 'acme',
      feature: 'chat',
    }),
    makeSpan({
      traceId: TRACE_SLOW_ERROR,
      spanId: '3'.repeat(16),
      startMs: START_MS + 60_000,
      durationMs: 9000,
      isLlmCall: false,
      name: 'agent run',
      tenant: 'globex',
      feature: 'agent',
    }),
    makeSpan({
      traceId: TRACE_SLOW_ERROR,
      spanId: '4'.repeat(16),
      parentSpanId: '3'.repeat(16),
      startMs: START_MS + 60_100,
      durationMs: 8000,
      model: 'gpt-4o',
      provider: 'openai',
      errorType: 'timeout',
      inputTokens: 900,
      outputTokens: 0,
      costUsd: 0.01,
      tenant: 'globex',
      feature: 'agent',
    }),
    makeSpan({
      traceId: TRACE_RAG,
      spanId: '5'.repeat(16),
      startMs: START_MS + 120_000,
      durationMs: 1200,
      isLlmCall: false,
      name: 'rag.pipeline',
      tenant: 'acme',
      feature: 'search',
    }),
    makeSpan({
      traceId: TRACE_RAG,
      spanId: '6'.repeat(16),
      parentSpanId: '5'.repeat(16),
      startMs: START_MS + 120_010,
      durationMs: 900,
      model: 'gpt-4o',
      provider: 'openai',
      inputTokens: 2000,
      outputTokens: 300,
      costUsd: 0.02,
      tenant: 'acme',
      feature: 'search',
      attributes: {
        'gen_ai.output.messages':
          '[{"role":"assistant","parts":[{"type":"text","content":"Refunds take 5 days"}]}]',
      },
    }),
    makeSpan({
      traceId: TRACE_ORPHAN,
      spanId: '7'.repeat(16),
      parentSpanId: 'e'.repeat(16),
      startMs: START_MS + 180_000,
      durationMs: 400,
      model: 'claude-sonnet',
      provider: 'anthropic',
      inputTokens: 10,
      outputTokens: 5,
      costUsd: null,
    }),
  ];
}

describe('trace search', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await server.store.writeSpans(traffic());
  });
  afterAll(async () => {
    await server.stop();
  });

  const search = async (extra: string) => server.getJson(`/api/v1/traces?${WINDOW}${extra}`);
  const ids = (body: { traces: { traceId: string }[] }) =>
    body.traces.map((trace) => trace.traceId);

  it('lists every trace newest first', async () => {
    const { status, body } = await search('');
    expect(status).toBe(200);
    expect(ids(body)).toEqual([TRACE_ORPHAN, TRACE_RAG, TRACE_SLOW_ERROR, TRACE_FAST]);
  });

  it('rolls up spans, calls, errors, cost and tokens', async () => {
    const { body } = await search('&status=error');
    expect(body.traces).toEqual([
      {
        traceId: TRACE_SLOW_ERROR,
        rootName: 'agent run',
        serviceName: 'svc',
        startTimeUnixMs: START_MS + 60_000,
        durationMs: 9000,
        spanCount: 2,
        llmCallCount: 1,
        errorCount: 1,
        costUsd: 0.01,
        inputTokens: 900,
        outputTokens: 0,
      },
    ]);
  });

  it('filters by status ok', async () => {
    const { body } = await search('&status=ok');
    expect(ids(body)).toEqual([TRACE_ORPHAN, TRACE_RAG, TRACE_FAST]);
  });

  it('filters by minimum duration', async () => {
    const { body } = await search('&minDurationMs=1000');
    expect(ids(body)).toEqual([TRACE_RAG, TRACE_SLOW_ERROR]);
  });

  it('filters by model and keeps the whole trace', async () => {
    const { body } = await search('&model=gpt-4o');
    expect(ids(body)).toEqual([TRACE_RAG, TRACE_SLOW_ERROR]);
    expect(body.traces[0].spanCount).toBe(2);
    expect(body.traces[0].rootName).toBe('rag.pipeline');
  });

  it('filters by tenant and feature', async () => {
    const { body } = await search('&tenant=acme&feature=search');
    expect(ids(body)).toEqual([TRACE_RAG]);
  });

  it('finds text in span names case-insensitively', async () => {
    const { body } = await search('&text=RAG.PIPE');
    expect(ids(body)).toEqual([TRACE_RAG]);
  });

  it('finds text in attributes', async () => {
    const { body } = await search('&text=refunds%20take');
    expect(ids(body)).toEqual([TRACE_RAG]);
  });

  it('names the earliest span when the root is missing', async () => {
    const { body } = await search('&model=claude-sonnet');
    expect(body.traces[0].rootName).toBe('chat claude-sonnet');
    expect(body.traces[0].costUsd).toBeNull();
  });

  it('applies the limit', async () => {
    const { body } = await search('&limit=2');
    expect(ids(body)).toEqual([TRACE_ORPHAN, TRACE_RAG]);
  });

  it('rejects an invalid status naming the allowed values', async () => {
    const { status, body } = await search('&status=failed');
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      'query parameter "status" has the invalid value "failed"; allowed values: ok, error',
    );
  });

  it('rejects an invalid minimum duration', async () => {
    const { status, body } = await search('&minDurationMs=-5');
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      'query parameter "minDurationMs" has the invalid value "-5"; use a non-negative number of milliseconds such as 2000',
    );
  });

  it('rejects text longer than 200 characters', async () => {
    const { status, body } = await search(`&text=${'x'.repeat(201)}`);
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      'query parameter "text" is 201 characters long; use at most 200',
    );
  });

  it('rejects an unknown parameter naming the allowed ones', async () => {
    const { status, body } = await search('&minLatency=5');
    expect(status).toBe(400);
    expect(body.error.message).toContain('"minLatency"');
    expect(body.error.message).toContain('minDurationMs');
    expect(body.error.message).toContain('status');
  });

  it('rejects a repeated status', async () => {
    const { status, body } = await search('&status=ok&status=error');
    expect(status).toBe(400);
    expect(body.error.message).toBe('query parameter "status" was given 2 times; give it once');
  });
});

describe('in-flight and time to first token', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await server.store.writeSpans([
      makeSpan({
        traceId: 'f'.repeat(32),
        spanId: '1'.repeat(16),
        startMs: START_MS,
        durationMs: 30_000,
        model: 'gpt-4o',
        ttftMs: 400,
      }),
      makeSpan({
        traceId: 'f'.repeat(32),
        spanId: '2'.repeat(16),
        startMs: START_MS + 30_000,
        durationMs: 60_000,
        model: 'gpt-4o',
        ttftMs: 800,
      }),
      makeSpan({
        traceId: 'f'.repeat(32),
        spanId: '3'.repeat(16),
        startMs: START_MS,
        durationMs: 60_000,
        model: 'gpt-4o-mini',
      }),
    ]);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('averages concurrent calls per bucket from spans', async () => {
    const { status, body } = await server.getJson(
      `/api/v1/llm/inflight?from=${START_MS}&to=${START_MS + 180_000}&stepMs=60000`,
    );
    expect(status).toBe(200);
    expect(body.source).toBe('spans');
    // Minute 1: 30 s + 30 s + 60 s busy = 2 calls on average; minute 2: 30 s of one call.
    expect(body.points).toEqual([
      { t: START_MS, inflight: 2 },
      { t: START_MS + 60_000, inflight: 0.5 },
    ]);
  });

  it('returns ttft percentiles by model', async () => {
    const { body } = await server.getJson(
      `/api/v1/llm/ttft?from=${START_MS}&to=${START_MS + 180_000}&stepMs=180000&groupBy=model`,
    );
    expect(body.series).toEqual([
      { key: 'gpt-4o', points: [{ t: START_MS, requests: 2, p50: 600, p95: 780 }] },
    ]);
  });
});
