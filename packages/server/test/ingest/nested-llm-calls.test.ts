import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// LangChain and the OpenAI client, both instrumented by OpenInference, record one model call
// twice: the framework's LLM span around the client's LLM span. Only the inner one counts.

type Attributes = Record<string, string | number>;

interface SpanInput {
  spanId: string;
  parentSpanId?: string;
  name: string;
  offsetMs: number;
  durationMs: number;
  attributes: Attributes;
  error?: boolean;
}

const ns = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;

function llm(model: string, prompt: number, completion: number): Attributes {
  return {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'openai',
    'llm.model_name': model,
    'llm.token_count.prompt': prompt,
    'llm.token_count.completion': completion,
  };
}

describe('model call spans nested in model call spans', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function send(traceId: string, baseMs: number, spans: SpanInput[]): Promise<void> {
    const body = {
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'nested-calls' } }],
          },
          scopeSpans: [
            {
              spans: spans.map((span) => ({
                traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                kind: 1,
                startTimeUnixNano: ns(baseMs + span.offsetMs),
                endTimeUnixNano: ns(baseMs + span.offsetMs + span.durationMs),
                status: { code: span.error === true ? 2 : 0 },
                attributes: Object.entries(span.attributes).map(([key, value]) => ({
                  key,
                  value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
                })),
              })),
            },
          ],
        },
      ],
    };
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  async function summary(model: string, fromMs: number): Promise<any> {
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${fromMs}&to=${fromMs + 60_000}`,
    );
    return body.groups.find((group: any) => group.key === model);
  }

  it('counts a wrapped call once', async () => {
    const baseMs = Date.now() - 600_000;
    const traceId = '5'.repeat(32);
    await send(traceId, baseMs, [
      {
        spanId: '5'.repeat(15) + '1',
        name: 'RunnableSequence',
        offsetMs: 0,
        durationMs: 900,
        attributes: { 'openinference.span.kind': 'CHAIN' },
      },
      {
        spanId: '5'.repeat(15) + '2',
        parentSpanId: '5'.repeat(15) + '1',
        name: 'ChatOpenAI',
        offsetMs: 10,
        durationMs: 800,
        attributes: llm('gpt-4o-mini', 100, 20),
      },
      {
        spanId: '5'.repeat(15) + '3',
        parentSpanId: '5'.repeat(15) + '2',
        name: 'ChatCompletion',
        offsetMs: 20,
        durationMs: 700,
        attributes: llm('gpt-4o-mini', 100, 20),
      },
    ]);

    const group = await summary('gpt-4o-mini', baseMs - 1_000);
    expect(group.requests).toBe(1);
    expect(group.tokens.input).toBe(100);
    expect(group.tokens.output).toBe(20);
    const { body } = await server.getJson(`/api/v1/traces/${traceId}`);
    const wrapper = body.spans.find((span: any) => span.name === 'ChatOpenAI');
    expect(wrapper.isLlmCall).toBe(false);
    expect(wrapper.spanType).toBe('llm');
    expect(wrapper.ingestIssues).toContain('llm_call_repeated_by_child');
  });

  it('counts a retry inside the wrapper', async () => {
    const baseMs = Date.now() - 540_000;
    const traceId = '6'.repeat(32);
    await send(traceId, baseMs, [
      {
        spanId: '6'.repeat(15) + '1',
        name: 'ChatOpenAI',
        offsetMs: 0,
        durationMs: 2_000,
        attributes: llm('gpt-4o', 300, 40),
      },
      {
        spanId: '6'.repeat(15) + '2',
        parentSpanId: '6'.repeat(15) + '1',
        name: 'ChatCompletion',
        offsetMs: 10,
        durationMs: 200,
        attributes: { ...llm('gpt-4o', 0, 0), 'error.type': 'rate_limit' },
        error: true,
      },
      {
        spanId: '6'.repeat(15) + '3',
        parentSpanId: '6'.repeat(15) + '1',
        name: 'ChatCompletion',
        offsetMs: 1_000,
        durationMs: 900,
        attributes: llm('gpt-4o', 300, 40),
      },
    ]);

    const group = await summary('gpt-4o', baseMs - 1_000);
    expect(group.requests).toBe(2);
    expect(group.errors).toBe(1);
    expect(group.tokens.input).toBe(300);
  });

  it('counts a wrapper sent after its child', async () => {
    const baseMs = Date.now() - 480_000;
    const traceId = '7'.repeat(32);
    const wrapperId = '7'.repeat(15) + '1';
    await send(traceId, baseMs, [
      {
        spanId: '7'.repeat(15) + '2',
        parentSpanId: wrapperId,
        name: 'ChatCompletion',
        offsetMs: 20,
        durationMs: 700,
        attributes: llm('gpt-4.1-mini', 60, 6),
      },
    ]);
    await send(traceId, baseMs, [
      {
        spanId: wrapperId,
        name: 'ChatOpenAI',
        offsetMs: 10,
        durationMs: 800,
        attributes: llm('gpt-4.1-mini', 60, 6),
      },
    ]);

    const group = await summary('gpt-4.1-mini', baseMs - 1_000);
    expect(group.requests).toBe(1);
    expect(group.tokens.input).toBe(60);
  });

  it('counts a chat call around an embeddings call', async () => {
    const baseMs = Date.now() - 420_000;
    const traceId = '8'.repeat(32);
    await send(traceId, baseMs, [
      {
        spanId: '8'.repeat(15) + '1',
        name: 'generation',
        offsetMs: 0,
        durationMs: 900,
        attributes: llm('gpt-4.1', 1_000, 200),
      },
      {
        spanId: '8'.repeat(15) + '2',
        parentSpanId: '8'.repeat(15) + '1',
        name: 'embed query',
        offsetMs: 10,
        durationMs: 50,
        attributes: {
          'openinference.span.kind': 'EMBEDDING',
          'embedding.model_name': 'text-embedding-3-small',
          'llm.token_count.prompt': 12,
        },
      },
    ]);

    const chat = await summary('gpt-4.1', baseMs - 1_000);
    expect(chat.requests).toBe(1);
    expect(chat.tokens.input).toBe(1_000);
  });

  it('counts a span that names itself as parent', async () => {
    const baseMs = Date.now() - 360_000;
    const spanId = '9'.repeat(16);
    await send('9'.repeat(32), baseMs, [
      {
        spanId,
        parentSpanId: spanId,
        name: 'ChatCompletion',
        offsetMs: 0,
        durationMs: 300,
        attributes: llm('gpt-4o-mini-2024-07-18', 5, 1),
      },
    ]);

    const group = await summary('gpt-4o-mini-2024-07-18', baseMs - 1_000);
    expect(group.requests).toBe(1);
  });
});
