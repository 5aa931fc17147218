import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Values that OTLP allows but that do not fit the store's signed 64-bit columns. Such a value
// must not reach the commit, because a failed commit returns a retryable 503 and loses the
// valid items of its request and of every other request in the same group commit.

const MAX_UINT64 = ((1n << 64n) - 1n).toString();
const START_MS = Date.now() - 60_000;
const START_NS = `${BigInt(START_MS) * 1_000_000n}`;
const END_NS = `${BigInt(START_MS + 1500) * 1_000_000n}`;
const TRACE_ID = 'c0ffee00c0ffee00c0ffee00c0ffee01';

interface SpanInput {
  spanId: string;
  traceId?: string;
  endTimeUnixNano?: string;
  inputTokens?: { intValue: string } | { doubleValue: number };
}

function chatSpan(input: SpanInput): unknown {
  return {
    traceId: input.traceId ?? TRACE_ID,
    spanId: input.spanId,
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: START_NS,
    endTimeUnixNano: input.endTimeUnixNano ?? END_NS,
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'gen_ai.usage.input_tokens', value: input.inputTokens ?? { intValue: '100' } },
    ],
  };
}

function traceBody(spans: unknown[]): unknown {
  return { resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans }] }] };
}

describe('values beyond int64', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function post(signal: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${server.otlpUrl}/v1/${signal}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function storedSpan(traceId: string, spanId: string): Promise<any> {
    const { body } = await server.getJson(`/api/v1/traces/${traceId}`);
    return body.spans?.find((span: { spanId: string }) => span.spanId === spanId);
  }

  it('1e300 input tokens become zero', async () => {
    const spans = [
      chatSpan({ spanId: '1000000000000001', inputTokens: { doubleValue: 1e300 } }),
      chatSpan({ spanId: '1000000000000002' }),
    ];

    const response = await post('traces', traceBody(spans));

    expect(response.status).toBe(200);
    expect(response.body.partialSuccess).toEqual({
      rejectedSpans: 0,
      errorMessage: `span 1000000000000001 of trace ${TRACE_ID}: gen_ai.usage.input_tokens 1e+300 is above 1000000000, the largest token count Foghorn keeps, so inputTokens was stored as 0; send the number of tokens of the call`,
    });
    const bad = await storedSpan(TRACE_ID, '1000000000000001');
    expect(bad.usage.inputTokens).toBe(0);
    expect(bad.ingestIssues).toContain('usage_out_of_range:inputTokens');
    expect((await storedSpan(TRACE_ID, '1000000000000002')).usage.inputTokens).toBe(100);
  });

  it('fractional tokens priced as stored', async () => {
    const traceId = 'c0ffee00c0ffee00c0ffee00c0ffee06';
    const spans = [
      chatSpan({ traceId, spanId: '6000000000000001', inputTokens: { doubleValue: 2.5 } }),
      chatSpan({ traceId, spanId: '6000000000000002', inputTokens: { intValue: '3' } }),
    ];

    const response = await post('traces', traceBody(spans));

    expect(response.status).toBe(200);
    const fractional = await storedSpan(traceId, '6000000000000001');
    const whole = await storedSpan(traceId, '6000000000000002');
    expect(fractional.usage.inputTokens).toBe(3);
    expect(fractional.cost.inputUsd).toBe(whole.cost.inputUsd);
  });

  it('int64 token sums keep request', async () => {
    const traceId = 'c0ffee00c0ffee00c0ffee00c0ffee02';
    const spans = [
      chatSpan({
        traceId,
        spanId: '2000000000000001',
        inputTokens: { intValue: '5000000000000000000' },
      }),
      chatSpan({
        traceId,
        spanId: '2000000000000002',
        inputTokens: { intValue: '5000000000000000000' },
      }),
    ];

    const response = await post('traces', traceBody(spans));

    expect(response.status).toBe(200);
    expect((await storedSpan(traceId, '2000000000000002')).usage.inputTokens).toBe(0);
  });

  it('end time 2^64-1 becomes receive time', async () => {
    const traceId = 'c0ffee00c0ffee00c0ffee00c0ffee03';
    const spans = [
      chatSpan({ traceId, spanId: '3000000000000001', endTimeUnixNano: MAX_UINT64 }),
      chatSpan({ traceId, spanId: '3000000000000002' }),
    ];

    const response = await post('traces', traceBody(spans));

    expect(response.status).toBe(200);
    const span = await storedSpan(traceId, '3000000000000001');
    expect(span.ingestIssues).toEqual(['end_time_in_future']);
    expect(BigInt(span.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(Date.now()) * 1_000_000n);
    expect(await storedSpan(traceId, '3000000000000002')).toBeDefined();
  });

  it('end time in 2100 is capped', async () => {
    const traceId = 'c0ffee00c0ffee00c0ffee00c0ffee04';
    const endIn2100 = `${BigInt(Date.UTC(2100, 0, 1)) * 1_000_000n}`;

    const response = await post(
      'traces',
      traceBody([chatSpan({ traceId, spanId: '4000000000000001', endTimeUnixNano: endIn2100 })]),
    );

    expect(response.status).toBe(200);
    const span = await storedSpan(traceId, '4000000000000001');
    expect(span.ingestIssues).toEqual(['end_time_in_future']);
    expect(span.durationMs).toBeLessThan(120_000);
  });

  it('log time past int64 rejected alone', async () => {
    const traceId = 'c0ffee00c0ffee00c0ffee00c0ffee05';
    const body = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: MAX_UINT64, body: { stringValue: 'late' }, traceId },
                { timeUnixNano: END_NS, body: { stringValue: 'on time' }, traceId },
              ],
            },
          ],
        },
      ],
    };

    const response = await post('logs', body);

    expect(response.status).toBe(200);
    expect(response.body.partialSuccess.rejectedLogRecords).toBe(1);
    expect(response.body.partialSuccess.errorMessage).toBe(
      `resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano ${MAX_UINT64} is after 2262-04-11, ` +
        'the latest time Foghorn stores; send the time in Unix nanoseconds',
    );
    const { body: trace } = await server.getJson(`/api/v1/traces/${traceId}`);
    expect(trace.logs.map((log: { body: string }) => log.body)).toEqual(['on time']);
  });

  it('metric time past int64 rejected alone', async () => {
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'queue.depth',
                  gauge: {
                    dataPoints: [
                      { timeUnixNano: MAX_UINT64, asDouble: 1 },
                      { timeUnixNano: END_NS, asDouble: 2 },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };

    const response = await post('metrics', body);

    expect(response.status).toBe(200);
    expect(response.body.partialSuccess.rejectedDataPoints).toBe(1);
    expect(response.body.partialSuccess.errorMessage).toContain(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].timeUnixNano',
    );
  });
});
