import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface SpanInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: Record<string, string | number>;
}

function otlpJson(spans: SpanInput[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'integrity' } }] },
        scopeSpans: [
          {
            scope: { name: 'manual' },
            spans: spans.map((span) => ({
              ...span,
              kind: 3,
              attributes: Object.entries(span.attributes ?? {}).map(([key, value]) => ({
                key,
                value: typeof value === 'number' ? { intValue: value } : { stringValue: value },
              })),
            })),
          },
        ],
      },
    ],
  });
}

const chatAttributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 100,
  'gen_ai.usage.output_tokens': 10,
};

const BASE_MS = Date.UTC(2026, 10, 20, 8, 0, 0);
const ns = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;

describe('trace integrity', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function send(spans: SpanInput[]): Promise<void> {
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      body: otlpJson(spans),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
  }

  async function trace(traceId: string): Promise<any[]> {
    const { body } = await server.getJson(`/api/v1/traces/${traceId}`);
    return body.spans;
  }

  it('stores a retried request once', async () => {
    const span = {
      traceId: '11111111111111111111111111111111',
      spanId: '1111111111111111',
      name: 'chat gpt-4o-mini',
      startTimeUnixNano: ns(BASE_MS),
      endTimeUnixNano: ns(BASE_MS + 300),
      attributes: chatAttributes,
    };
    await send([span, span]);
    await send([span]);
    expect(await trace(span.traceId)).toHaveLength(1);
    const { body } = await server.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${BASE_MS - 1000}&to=${BASE_MS + 1000}`,
    );
    expect(body.groups[0].requests).toBe(1);
    expect(body.groups[0].tokens.input).toBe(100);
  });

  it('joins a root that arrives after its child and passes attribution down', async () => {
    const traceId = '22222222222222222222222222222222';
    await send([
      {
        traceId,
        spanId: '2222222222222223',
        parentSpanId: '2222222222222222',
        name: 'chat gpt-4o-mini',
        startTimeUnixNano: ns(BASE_MS + 10),
        endTimeUnixNano: ns(BASE_MS + 200),
        attributes: chatAttributes,
      },
    ]);
    const orphaned = await trace(traceId);
    expect(orphaned).toHaveLength(1);
    expect(orphaned[0].tenant).toBeNull();

    await send([
      {
        traceId,
        spanId: '2222222222222222',
        name: 'support-request',
        startTimeUnixNano: ns(BASE_MS),
        endTimeUnixNano: ns(BASE_MS + 500),
        attributes: { 'tenant.id': 'initech', 'feature.name': 'support' },
      },
    ]);
    const joined = await trace(traceId);
    expect(joined.map((span) => span.name)).toEqual(['support-request', 'chat gpt-4o-mini']);
    expect(joined[1].tenant).toBe('initech');
    expect(joined[1].feature).toBe('support');
  });

  it('corrects and flags impossible timestamps', async () => {
    const traceId = '33333333333333333333333333333333';
    const beforeMs = Date.now();
    await send([
      {
        traceId,
        spanId: '3333333333333331',
        name: 'zero start',
        startTimeUnixNano: 0,
        endTimeUnixNano: ns(BASE_MS),
      },
      {
        traceId,
        spanId: '3333333333333332',
        name: 'microseconds',
        startTimeUnixNano: `${BigInt(BASE_MS) * 1000n}`,
        endTimeUnixNano: `${BigInt(BASE_MS + 250) * 1000n}`,
      },
      {
        traceId,
        spanId: '3333333333333333',
        name: 'far future',
        startTimeUnixNano: ns(Date.UTC(2100, 0, 1)),
        endTimeUnixNano: ns(Date.UTC(2100, 0, 1) + 40),
      },
    ]);
    const spans = Object.fromEntries((await trace(traceId)).map((span) => [span.name, span]));

    expect(spans['zero start'].ingestIssues).toEqual(['start_time_zero']);
    expect(spans['zero start'].startTimeUnixNano).toBe(ns(BASE_MS));

    expect(spans['microseconds'].ingestIssues).toEqual(['microseconds_as_nanoseconds']);
    expect(spans['microseconds'].startTimeUnixNano).toBe(ns(BASE_MS));
    expect(spans['microseconds'].durationMs).toBe(250);

    const future = spans['far future'];
    expect(future.ingestIssues).toEqual(['start_time_in_future']);
    expect(future.durationMs).toBe(40);
    const startMs = Number(BigInt(future.startTimeUnixNano) / 1_000_000n);
    expect(startMs).toBeGreaterThanOrEqual(beforeMs - 1000);
    expect(startMs).toBeLessThanOrEqual(Date.now());
  });
});
