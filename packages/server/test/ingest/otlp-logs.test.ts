import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TIME_NS = `${BigInt(Date.UTC(2026, 10, 21, 10, 0, 0)) * 1_000_000n}`;

const span = {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  name: 'chat gpt-4o',
  kind: 3,
  startTimeUnixNano: TIME_NS,
  endTimeUnixNano: TIME_NS,
  attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }],
};

const logs = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'logs-test' } }] },
      scopeLogs: [
        {
          scope: { name: 'gen_ai' },
          logRecords: [
            {
              timeUnixNano: TIME_NS,
              severityNumber: 9,
              eventName: 'gen_ai.client.inference.operation.details',
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              body: { stringValue: 'details' },
              attributes: [
                {
                  key: 'gen_ai.response.finish_reasons',
                  value: { arrayValue: { values: [{ stringValue: 'stop' }] } },
                },
              ],
            },
            {
              timeUnixNano: TIME_NS,
              severityText: 'INFO',
              traceId: TRACE_ID,
              body: { stringValue: 'request finished' },
            },
          ],
        },
      ],
    },
  ],
};

describe('OTLP logs', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('attaches GenAI events to their span and other records to the trace', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.otlpUrl}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await post('/v1/logs', logs)).status).toBe(200);
    expect(
      (
        await post('/v1/traces', {
          resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans: [span] }] }],
        })
      ).status,
    ).toBe(200);

    const { body } = await server.getJson(`/api/v1/traces/${TRACE_ID}`);
    expect(body.spans).toHaveLength(1);
    expect(body.spans[0].logs).toHaveLength(1);
    expect(body.spans[0].logs[0].eventName).toBe('gen_ai.client.inference.operation.details');
    expect(body.spans[0].logs[0].attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(body.logs).toHaveLength(1);
    expect(body.logs[0].body).toBe('request finished');
  });

  it('rejects a log record with a malformed trace id as a partial success', async () => {
    const bad = structuredClone(logs);
    bad.resourceLogs[0]!.scopeLogs[0]!.logRecords[1]!.traceId = 'xyz';
    const response = await fetch(`${server.otlpUrl}/v1/logs`, {
      method: 'POST',
      body: JSON.stringify(bad),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as any;
    expect(result.partialSuccess.rejectedLogRecords).toBe(1);
    expect(result.partialSuccess.errorMessage).toContain('traceId');
  });
});
