import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const START_MS = Date.UTC(2026, 10, 2, 12, 0, 0);

/** Emits one app run: an agent span around chat calls, plus a legacy-named call and an unpriced model. */
async function emitTraffic(exporter: SpanExporter, serviceName: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': serviceName,
      'deployment.environment.name': 'test',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('foghorn-test');

  const agent = tracer.startSpan('invoke_agent planner', {
    kind: SpanKind.INTERNAL,
    startTime: START_MS,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'planner',
      // Agents repeat the usage of their calls; it must not count twice.
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.usage.output_tokens': 600,
      'tenant.id': 'acme',
      'feature.name': 'planning',
    },
  });
  const agentContext = trace.setSpan(context.active(), agent);
  for (let i = 0; i < 2; i++) {
    const call = tracer.startSpan(
      'chat gpt-4o',
      {
        kind: SpanKind.CLIENT,
        startTime: START_MS + 10 + i * 1000,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.response.model': 'gpt-4o-2024-08-06',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.cache_read.input_tokens': 200,
          'gen_ai.usage.output_tokens': 300,
        },
      },
      agentContext,
    );
    call.end(START_MS + 10 + i * 1000 + 400 + i * 200);
  }
  agent.end(START_MS + 2000);

  const legacy = tracer.startSpan('openai.chat', {
    kind: SpanKind.CLIENT,
    startTime: START_MS + 3000,
    attributes: {
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.prompt_tokens': 500,
      'gen_ai.usage.completion_tokens': 100,
      'tenant.id': 'globex',
    },
  });
  legacy.end(START_MS + 3250);

  const failed = tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    startTime: START_MS + 4000,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'error.type': '429',
      'tenant.id': 'globex',
    },
  });
  failed.setStatus({ code: SpanStatusCode.ERROR, message: 'Rate limit reached' });
  failed.end(START_MS + 4100);

  const unpriced = tracer.startSpan('chat house-model-7b', {
    kind: SpanKind.CLIENT,
    startTime: START_MS + 5000,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'self_hosted',
      'gen_ai.request.model': 'house-model-7b',
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.output_tokens': 20,
    },
  });
  unpriced.end(START_MS + 5300);

  await provider.forceFlush();
  await provider.shutdown();
}

const WINDOW = `from=${START_MS - 60_000}&to=${START_MS + 60_000}`;

describe.each([
  ['protobuf', (url: string) => new ProtoExporter({ url })],
  ['json', (url: string) => new JsonExporter({ url })],
])('OTel JS SDK export over OTLP/HTTP %s', (_encoding, makeExporter) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await emitTraffic(makeExporter(`${server.otlpUrl}/v1/traces`), 'sdk-test');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('summary by model has exact counts, tokens and cost', async () => {
    const { status, body } = await server.getJson(`/api/v1/llm/summary?groupBy=model&${WINDOW}`);
    expect(status).toBe(200);
    const byKey = Object.fromEntries(body.groups.map((group: any) => [group.key, group]));
    expect(Object.keys(byKey).sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'house-model-7b']);

    const gpt4o = byKey['gpt-4o'];
    expect(gpt4o.requests).toBe(2);
    expect(gpt4o.errors).toBe(0);
    expect(gpt4o.tokens).toEqual({
      input: 2000,
      output: 600,
      cachedInput: 400,
      cacheWrite: 0,
      reasoning: 0,
    });
    // Per call: 800 uncached x $2.50/M + 200 cached x $1.25/M + 300 output x $10/M = $0.00525.
    expect(gpt4o.costUsd).toBeCloseTo(0.0105, 12);
    expect(gpt4o.unpricedRequests).toBe(0);
    expect(gpt4o.latencyMs.p50).toBeCloseTo(500, 6);

    const mini = byKey['gpt-4o-mini'];
    expect(mini.requests).toBe(2);
    expect(mini.errors).toBe(1);
    expect(mini.tokens.input).toBe(500);
    expect(mini.tokens.output).toBe(100);
    // 500 x $0.15/M + 100 x $0.60/M; the failed call used no tokens.
    expect(mini.costUsd).toBeCloseTo(0.000135, 12);

    const house = byKey['house-model-7b'];
    expect(house.requests).toBe(1);
    expect(house.costUsd).toBeNull();
    expect(house.unpricedRequests).toBe(1);
  });

  it('summary by tenant inherits attribution from the agent', async () => {
    const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=tenant&${WINDOW}`);
    const byKey = Object.fromEntries(
      body.groups.map((group: any) => [String(group.key), group.requests]),
    );
    expect(byKey).toEqual({ acme: 2, globex: 2, null: 1 });
  });

  it('summary by error type classifies the rate limit', async () => {
    const { body } = await server.getJson(`/api/v1/llm/summary?groupBy=errorType&${WINDOW}`);
    const rateLimit = body.groups.find((group: any) => group.key === 'rate_limit');
    expect(rateLimit.requests).toBe(1);
  });

  it('trace endpoint returns canonical spans in order', async () => {
    const { body: list } = await server.getJson(`/api/v1/traces?${WINDOW}`);
    const agentTrace = list.traces.find((item: any) => item.rootName === 'invoke_agent planner');
    expect(agentTrace.spanCount).toBe(3);
    const { status, body } = await server.getJson(`/api/v1/traces/${agentTrace.traceId}`);
    expect(status).toBe(200);
    expect(body.spans.map((span: any) => span.name)).toEqual([
      'invoke_agent planner',
      'chat gpt-4o',
      'chat gpt-4o',
    ]);
    const call = body.spans[1];
    expect(call.parentSpanId).toBe(body.spans[0].spanId);
    expect(call.operation).toBe('chat');
    expect(call.provider).toBe('openai');
    expect(call.responseModel).toBe('gpt-4o-2024-08-06');
    expect(call.cost.priceModel).toBe('openai/gpt-4o');
    expect(call.startTimeUnixNano).toBe(`${BigInt(START_MS + 10) * 1_000_000n}`);
    expect(body.spans[0].isLlmCall).toBe(false);
  });
});
