import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitLogs, postGaugePoints } from '../privacy/signal-emitters.ts';
import { startFoghornWith, type RunningFoghorn } from './foghorn-under-test.ts';
import { waitUntil } from './prometheus-process.ts';

const PII = {
  email: 'jane.doe.forward@example.com',
  card: '4111 1111 1111 1111',
  logEmail: 'log.sender.forward@example.org',
  metricUser: 'metric.user.forward@example.net',
};

const CALLS = [
  { model: 'gpt-4o-mini-2024-07-18', provider: 'openai', input: 1200, output: 300 },
  { model: 'claude-3-5-sonnet-20241022', provider: 'anthropic', input: 10_000, output: 700 },
  { model: 'house-model-7b', provider: 'openai', input: 500, output: 100 },
];

/** Sends one agent trace per call through the OTel SDK; each chat span carries PII in its prompt. */
async function emitCalls(otlpUrl: string, startMs: number): Promise<string[]> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'forward-test' }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` })),
    ],
  });
  const tracer = provider.getTracer('forward-test');
  const traceIds: string[] = [];
  for (const [index, call] of CALLS.entries()) {
    const callStartMs = startMs + index * 1000;
    const root = tracer.startSpan('invoke_agent support', {
      startTime: callStartMs,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'tenant.id': 'acme' },
    });
    const chat = tracer.startSpan(
      `chat ${call.model}`,
      {
        kind: SpanKind.CLIENT,
        startTime: callStartMs + 5,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': call.provider,
          'gen_ai.request.model': call.model,
          'gen_ai.usage.input_tokens': call.input,
          'gen_ai.usage.output_tokens': call.output,
          'gen_ai.input.messages': JSON.stringify([
            {
              role: 'user',
              parts: [{ type: 'text', content: `Mail ${PII.email}, card ${PII.card}` }],
            },
          ]),
        },
      },
      trace.setSpan(context.active(), root),
    );
    chat.end(callStartMs + 700);
    root.end(callStartMs + 800);
    traceIds.push(root.spanContext().traceId);
  }
  await provider.forceFlush();
  await provider.shutdown();
  return traceIds;
}

function comparable(span: any): unknown {
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    model: span.model,
    provider: span.provider,
    tenant: span.tenant,
    usage: span.usage,
    cost: span.cost?.totalUsd,
    attributes: span.attributes,
  };
}

function metricValue(text: string, name: string, labels: string[]): number {
  const line = text
    .split('\n')
    .find(
      (entry) => entry.startsWith(`${name}{`) && labels.every((label) => entry.includes(label)),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('OTLP forwarding', () => {
  let receiver: RunningFoghorn;
  let sender: RunningFoghorn;
  let traceIds: string[] = [];
  const startMs = Date.now() - 120_000;

  beforeAll(async () => {
    receiver = await startFoghornWith();
    sender = await startFoghornWith({ forwardOtlp: { endpoints: [receiver.otlpUrl] } });
    traceIds = await emitCalls(sender.otlpUrl, startMs);
    await emitLogs(sender.otlpUrl, [
      { timeMs: startMs + 100, body: `reply to ${PII.logEmail}`, traceId: traceIds[0]! },
    ]);
    await postGaugePoints(sender.otlpUrl, [
      { timeMs: startMs + 200, userId: PII.metricUser, value: 3 },
    ]);
    const forwarded = await waitUntil(async () => {
      const text = await (await fetch(`${sender.url}/metrics`)).text();
      const delivered = (signal: string): number =>
        metricValue(text, 'foghorn_otlp_forward_items_total', [
          `signal="${signal}"`,
          'result="delivered"',
        ]);
      return delivered('traces') === 6 && delivered('logs') === 1 && delivered('metrics') === 1;
    }, 30_000);
    if (!forwarded) throw new Error('the sender did not forward every signal within 30 s');
  }, 60_000);

  afterAll(async () => {
    await sender?.stop();
    await receiver?.stop();
  });

  it('spans arrive with the same values', async () => {
    for (const traceId of traceIds) {
      const sent = await sender.getJson(`/api/v1/traces/${traceId}`);
      const received = await receiver.getJson(`/api/v1/traces/${traceId}`);
      expect(received.spans.map(comparable)).toEqual(sent.spans.map(comparable));
      expect(received.spans).toHaveLength(2);
    }
  });

  it('token and cost totals match exactly', async () => {
    const window = `from=${startMs - 60_000}&to=${Date.now() + 60_000}`;
    const sent = await sender.getJson(`/api/v1/llm/summary?groupBy=model&${window}`);
    const received = await receiver.getJson(`/api/v1/llm/summary?groupBy=model&${window}`);
    const byModel = new Map(received.groups.map((group: any) => [group.key, group]));
    expect(received.groups).toHaveLength(3);
    for (const group of sent.groups) {
      const other: any = byModel.get(group.key);
      expect(other.requests, group.key).toBe(1);
      expect(other.tokens, group.key).toEqual(group.tokens);
      expect(other.costUsd, group.key).toBe(group.costUsd);
      expect(other.unpricedRequests, group.key).toBe(group.unpricedRequests);
    }
    expect((byModel.get('house-model-7b') as any).unpricedRequests).toBe(1);
    expect((byModel.get('gpt-4o-mini-2024-07-18') as any).costUsd).toBeGreaterThan(0);
    expect((byModel.get('gpt-4o-mini-2024-07-18') as any).tokens.input).toBe(1200);
  });

  it('PII never reaches the receiver', async () => {
    const received = await Promise.all(
      traceIds.map((traceId) => receiver.getJson(`/api/v1/traces/${traceId}`)),
    );
    const text = JSON.stringify(received);
    expect(text).toContain('gen_ai.input.messages');
    for (const value of Object.values(PII)) expect(text).not.toContain(value);
  });

  it('log records arrive on their span', async () => {
    const received = await receiver.getJson(`/api/v1/traces/${traceIds[0]}`);
    const logs = [...received.logs, ...received.spans.flatMap((span: any) => span.logs)];
    expect(logs).toHaveLength(1);
    expect(JSON.stringify(logs[0])).toContain('reply to ');
    expect(JSON.stringify(logs[0])).not.toContain(PII.logEmail);
  });

  it('delivered counts appear on /metrics', async () => {
    const text = await (await fetch(`${sender.url}/metrics`)).text();
    const target = `target="${receiver.otlpUrl}/"`;
    const name = 'foghorn_otlp_forward_items_total';
    expect(metricValue(text, name, [target, 'signal="traces"', 'result="delivered"'])).toBe(6);
    expect(metricValue(text, name, [target, 'signal="logs"', 'result="delivered"'])).toBe(1);
    expect(metricValue(text, name, [target, 'signal="metrics"', 'result="delivered"'])).toBe(1);
    expect(text).not.toContain('result="dropped"');
    expect(text).not.toContain('result="failed"');
  });
});
