import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const TRACE_ID = '5bf92f3577b34da6a3ce929d0e0e4736';
const CHAT_SPAN_ID = '10f067aa0ba902b7';
const RETRIEVER_SPAN_ID = '20f067aa0ba902b7';
const START_MS = Date.UTC(2026, 10, 21, 10, 0, 0);
const nanos = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;

const stringAttribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
const doubleAttribute = (key: string, value: number) => ({ key, value: { doubleValue: value } });

const traces = {
  resourceSpans: [
    {
      resource: { attributes: [stringAttribute('service.name', 'eval-test')] },
      scopeSpans: [
        {
          scope: { name: 'eval-test' },
          spans: [
            {
              traceId: TRACE_ID,
              spanId: CHAT_SPAN_ID,
              name: 'chat gpt-4o',
              kind: 3,
              startTimeUnixNano: nanos(START_MS),
              endTimeUnixNano: nanos(START_MS + 800),
              attributes: [
                stringAttribute('gen_ai.operation.name', 'chat'),
                stringAttribute('gen_ai.request.model', 'gpt-4o'),
                stringAttribute('gen_ai.provider.name', 'openai'),
              ],
              events: [
                {
                  name: 'gen_ai.evaluation.result',
                  timeUnixNano: nanos(START_MS + 900),
                  attributes: [
                    stringAttribute('gen_ai.evaluation.name', 'relevance'),
                    doubleAttribute('gen_ai.evaluation.score.value', 0.25),
                  ],
                },
              ],
            },
            {
              traceId: TRACE_ID,
              spanId: RETRIEVER_SPAN_ID,
              parentSpanId: CHAT_SPAN_ID,
              name: 'retrieve',
              kind: 1,
              startTimeUnixNano: nanos(START_MS + 10),
              endTimeUnixNano: nanos(START_MS + 60),
              attributes: [
                stringAttribute('openinference.span.kind', 'RETRIEVER'),
                stringAttribute('annotations.0.annotation.name', 'relevance'),
                doubleAttribute('annotations.0.annotation.score', 0.75),
              ],
            },
          ],
        },
      ],
    },
  ],
};

const logs = {
  resourceLogs: [
    {
      resource: { attributes: [stringAttribute('service.name', 'judge')] },
      scopeLogs: [
        {
          scope: { name: 'judge' },
          logRecords: [
            {
              timeUnixNano: nanos(START_MS + 5_000),
              eventName: 'gen_ai.evaluation.result',
              traceId: TRACE_ID,
              spanId: CHAT_SPAN_ID,
              attributes: [
                stringAttribute('gen_ai.evaluation.name', 'toxicity'),
                stringAttribute('gen_ai.evaluation.score.label', 'clean'),
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('scores from ingested evaluation events', () => {
  let server: TestServer;

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${server.otlpUrl}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  const summary = async (name: string): Promise<any[]> => {
    const window = `from=${START_MS - 60_000}&to=${START_MS + 60_000}`;
    const { status, body } = await server.getJson(
      `/api/v1/scores/summary?name=${name}&groupBy=model&${window}`,
    );
    expect(status).toBe(200);
    return body.groups;
  };

  beforeAll(async () => {
    server = await startTestServer();
    expect((await post('/v1/traces', traces)).status).toBe(200);
    expect((await post('/v1/logs', logs)).status).toBe(200);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('averages event and annotation scores', async () => {
    const groups = await summary('relevance');
    expect(groups).toHaveLength(1);
    expect(groups[0].key).toBe('gpt-4o');
    expect(groups[0].count).toBe(2);
    expect(groups[0].mean).toBeCloseTo(0.5, 12);
  });

  it('counts a label from a log record', async () => {
    const groups = await summary('toxicity');
    expect(groups).toHaveLength(1);
    expect(groups[0].count).toBe(1);
    expect(groups[0].categories).toEqual({ clean: 1 });
  });

  it('keeps one score when a span is resent', async () => {
    expect((await post('/v1/traces', traces)).status).toBe(200);
    const groups = await summary('relevance');
    expect(groups[0].count).toBe(2);
  });
});
