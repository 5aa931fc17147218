import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// The dialect readers looked attribute values up in object literals, so a value that names
// a member of Object.prototype found that member. "constructor" made the operation a
// function, which the ingest log could not serialize: the whole request got 503 and the
// exporter retried it for ever. "__proto__" made the provider an object: the request got
// 200, and then the loader set the batch aside, losing acknowledged spans.

type Attributes = Record<string, string | number>;

const CASES: [string, Attributes][] = [
  ['gen_ai.operation.name', { 'gen_ai.operation.name': 'constructor' }],
  ['gen_ai.system', { 'gen_ai.system': 'constructor' }],
  ['gen_ai.system with a suffix', { 'gen_ai.system': 'constructor.chat' }],
  [
    'gen_ai.provider.name',
    { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': '__proto__' },
  ],
  ['ai.operationId', { 'ai.operationId': 'toString' }],
  ['ai.operationId __proto__', { 'ai.operationId': '__proto__' }],
  [
    'ai.model.provider',
    { 'ai.operationId': 'ai.generateText.doGenerate', 'ai.model.provider': 'hasOwnProperty' },
  ],
  ['traceloop.span.kind', { 'traceloop.span.kind': 'constructor' }],
  ['llm.request.type', { 'llm.request.type': 'constructor' }],
  ['openinference.span.kind', { 'openinference.span.kind': 'CONSTRUCTOR' }],
  ['langfuse.observation.type', { 'langfuse.observation.type': '__proto__' }],
  ['mlflow.spanType', { 'mlflow.spanType': 'CONSTRUCTOR' }],
];

function attributeList(attributes: Attributes): object[] {
  return Object.entries(attributes).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
  }));
}

/** Builds a client span of 500 ms that started a minute ago. */
function chatSpan(traceId: string, idDigit: string, name: string, attributes: Attributes): object {
  const startMs = Date.now() - 60_000;
  return {
    traceId,
    spanId: 'b'.repeat(15) + idDigit,
    name,
    kind: 3,
    startTimeUnixNano: `${BigInt(startMs) * 1_000_000n}`,
    endTimeUnixNano: `${BigInt(startMs + 500) * 1_000_000n}`,
    attributes: attributeList(attributes),
  };
}

describe('attribute values that name members of Object.prototype', () => {
  let server: TestServer;
  let next = 0;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each(CASES)('keeps request with odd %s', async (_label, attributes) => {
    next += 1;
    const traceId = next.toString(16).padStart(32, 'a');
    const body = {
      resourceSpans: [
        {
          resource: { attributes: attributeList({ 'service.name': 'prototype-values' }) },
          scopeSpans: [
            {
              scope: { name: 'manual' },
              spans: [
                chatSpan(traceId, '1', 'odd value', {
                  ...attributes,
                  'gen_ai.request.model': 'gpt-4o',
                }),
                chatSpan(traceId, '2', 'sibling chat', {
                  'gen_ai.operation.name': 'chat',
                  'gen_ai.provider.name': 'openai',
                  'gen_ai.request.model': 'gpt-4o',
                  'gen_ai.usage.input_tokens': 7,
                  'gen_ai.usage.output_tokens': 5,
                }),
              ],
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

    const trace = await server.getJson(`/api/v1/traces/${traceId}`);
    const byName = new Map<string, any>(trace.body.spans.map((span: any) => [span.name, span]));
    expect([...byName.keys()].sort()).toEqual(['odd value', 'sibling chat']);
    expect(byName.get('sibling chat').usage.inputTokens).toBe(7);
    const odd = byName.get('odd value');
    expect(typeof odd.operation).toBe('string');
    expect(typeof odd.spanType).toBe('string');
    expect(odd.provider === null || typeof odd.provider === 'string').toBe(true);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('rejects double "toString"', async () => {
    const startMs = Date.now() - 60_000;
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: 'c'.repeat(32),
                    spanId: 'c'.repeat(16),
                    name: 'double',
                    startTimeUnixNano: `${BigInt(startMs) * 1_000_000n}`,
                    endTimeUnixNano: `${BigInt(startMs + 5) * 1_000_000n}`,
                    attributes: [{ key: 'temperature', value: { doubleValue: 'toString' } }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain('doubleValue');
    expect(body.message).toContain('"toString"');
  });

  it('rejects a budget for tenant "__proto__"', async () => {
    const response = await fetch(`${server.url}/api/v1/budgets/__proto__`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ monthlyUsd: 100 }),
    });
    expect(response.status).toBe(400);
  });

  it('finds no budget for tenant "constructor"', async () => {
    const response = await fetch(`${server.url}/api/v1/budgets/constructor`, { method: 'DELETE' });
    expect(response.status).toBe(404);
  });

  it('counts score label "constructor"', async () => {
    const posted = await fetch(`${server.url}/api/v1/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ traceId: 'd'.repeat(32), name: 'verdict', value: 'constructor' }),
    });
    expect(posted.status).toBe(201);
    const summary = await server.getJson('/api/v1/scores/summary?name=verdict');
    expect(summary.body.groups[0].categories).toEqual({ constructor: 1 });
  });

  it('keeps "__proto__" in redacted JSON text', async () => {
    const traceId = 'e'.repeat(32);
    const span = chatSpan(traceId, '3', 'handle request', {
      'app.request': '{"__proto__":"x","contact":"bob@example.com"}',
    });
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }),
    });
    expect(response.status).toBe(200);
    const trace = await server.getJson(`/api/v1/traces/${traceId}`);
    const stored = JSON.parse(trace.body.spans[0].attributes['app.request']) as object;
    expect(Object.keys(stored)).toEqual(['__proto__', 'contact']);
    expect(JSON.stringify(stored)).not.toContain('bob@example.com');
  });
});
