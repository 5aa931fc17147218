import { context, propagation, trace } from '@opentelemetry/api';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_HEADERS, startMockProvider, type MockProvider } from '@foghorn/demo';
import { instrumentOpenAI, spanContextOf, withAttribution } from '../src/index.ts';
import {
  expectedCostUsd,
  histogramOf,
  pointsWith,
  startHarness,
  type Harness,
} from './helpers/sdk-harness.ts';

let harness: Harness;
let provider: MockProvider;
let instrumented: OpenAI;
let plain: OpenAI;

const FAST = { [MOCK_HEADERS.latencyFactor]: '0.05' };
const USER_MESSAGES = [
  { role: 'system' as const, content: 'You answer questions about orders. '.repeat(140) },
  { role: 'user' as const, content: 'Where is my order 1234?' },
];

function createClient(): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: provider.url,
    maxRetries: 0,
    timeout: 2000,
    defaultHeaders: FAST,
  });
}

beforeAll(async () => {
  harness = await startHarness();
  provider = await startMockProvider({ seed: 7 });
  instrumented = instrumentOpenAI(createClient());
  plain = createClient();
});

afterAll(async () => {
  await harness?.stop();
  await provider?.close();
});

function withoutCreated(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, entry) => (key === 'created' ? undefined : entry)));
}

async function collect(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('instrumented OpenAI chat completions', () => {
  it('returns what the plain client returns', async () => {
    const options = { headers: { [MOCK_HEADERS.requestKey]: 'same-answer' } };
    const params = { model: 'gpt-4o-mini', messages: USER_MESSAGES };
    const expected = await plain.chat.completions.create(params, options);
    const actual = await instrumented.chat.completions.create(params, options);
    expect(withoutCreated(actual)).toEqual(withoutCreated(expected));
    expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
  });

  it('streams the same chunks as the plain client', async () => {
    const options = { headers: { [MOCK_HEADERS.requestKey]: 'same-stream' } };
    const params = {
      model: 'gpt-4o-mini',
      messages: USER_MESSAGES,
      stream: true as const,
      stream_options: { include_usage: true },
    };
    const expected = await collect(await plain.chat.completions.create(params, options));
    const stream = await instrumented.chat.completions.create(params, options);
    expect(stream.constructor.name).toBe('Stream');
    expect(stream.controller).toBeInstanceOf(AbortController);
    expect(withoutCreated(await collect(stream))).toEqual(withoutCreated(expected));
  });

  it('throws the same errors as the plain client', async () => {
    for (const outcome of ['rate_limit', 'server_error', 'content_filter', 'authentication']) {
      const options = { headers: { [MOCK_HEADERS.outcome]: outcome } };
      const params = { model: 'gpt-4o-mini', messages: USER_MESSAGES };
      const expected = await plain.chat.completions
        .create(params, options)
        .catch((error: unknown) => error);
      const actual = await instrumented.chat.completions
        .create(params, options)
        .catch((error: unknown) => error);
      expect(actual).toBeInstanceOf((expected as object).constructor);
      expect((actual as { status: number }).status).toBe((expected as { status: number }).status);
      expect((actual as Error).message).toBe((expected as Error).message);
    }
  });
});

describe('chat telemetry in Foghorn', () => {
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  let streamUsage: OpenAI.CompletionUsage | undefined;
  let streamTraceId: string;
  let hostTraceId: string;
  let baggageHeader: string | undefined;

  beforeAll(async () => {
    await withAttribution(
      { tenant: 'acme', feature: 'support-chat', user: 'user-42', session: 'session-9' },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const carrier: Record<string, string> = {};
        propagation.inject(context.active(), carrier);
        baggageHeader = carrier.baggage;
        completion = await trace
          .getTracer('host-app')
          .startActiveSpan('handle ticket', async (span) => {
            hostTraceId = span.spanContext().traceId;
            const result = await instrumented.chat.completions.create({
              model: 'gpt-4o-mini',
              messages: USER_MESSAGES,
              max_tokens: 300,
              temperature: 0.2,
            });
            span.end();
            return result;
          });
        await withAttribution({ feature: 'support-chat-stream' }, async () => {
          const stream = await instrumented.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: USER_MESSAGES,
            stream: true,
            stream_options: { include_usage: true },
          });
          streamTraceId = spanContextOf(stream)!.traceId;
          for await (const chunk of stream) streamUsage = chunk.usage ?? streamUsage;
        });
      },
    );
    await harness.flush();
  });

  it('records exact tokens, cost and attribution of a call', async () => {
    const spans = await harness.traceSpans(spanContextOf(completion)!.traceId);
    const call = spans.find((span: any) => span.isLlmCall);
    const usage = completion.usage!;
    const expectedUsage = {
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    };
    expect(expectedUsage.cachedInputTokens).toBeGreaterThan(0);
    expect(call.usage).toEqual(expectedUsage);
    expect(call.cost.totalUsd).toBeCloseTo(
      expectedCostUsd('openai', 'gpt-4o-mini', expectedUsage),
      12,
    );
    expect(call.name).toBe('chat gpt-4o-mini');
    expect(call.provider).toBe('openai');
    expect(call.responseModel).toBe(completion.model);
    expect(call.tenant).toBe('acme');
    expect(call.feature).toBe('support-chat');
    expect(call.sessionId).toBe('session-9');
    expect(call.attributes['gen_ai.request.max_tokens']).toBe(300);
    expect(call.attributes['gen_ai.response.finish_reasons']).toEqual([
      completion.choices[0]!.finish_reason,
    ]);
    expect(call.resourceAttributes['service.version']).toBe('1.2.3');
    expect(call.environment).toBe('test');
  });

  it('puts attribution on host spans and in baggage', async () => {
    const spans = await harness.traceSpans(hostTraceId);
    const host = spans.find((span: any) => span.name === 'handle ticket');
    expect(host.attributes['tenant.id']).toBe('acme');
    expect(host.attributes['feature.name']).toBe('support-chat');
    expect(spans.find((span: any) => span.isLlmCall).parentSpanId).toBe(host.spanId);
    expect(baggageHeader).toContain('tenant.id=acme');
    expect(baggageHeader).toContain('feature.name=support-chat');
  });

  it('reads attribution from incoming baggage', async () => {
    const incoming = propagation.extract(context.active(), {
      baggage: 'tenant.id=initech,feature.name=upstream-search',
    });
    const result = await context.with(incoming, () =>
      instrumented.chat.completions.create({ model: 'gpt-4o-mini', messages: USER_MESSAGES }),
    );
    await harness.flush();
    const [call] = await harness.traceSpans(spanContextOf(result)!.traceId);
    expect(call.tenant).toBe('initech');
    expect(call.feature).toBe('upstream-search');
  });

  it('records usage and time to first token of a stream', async () => {
    const spans = await harness.traceSpans(streamTraceId);
    const call = spans.find((span: any) => span.isLlmCall);
    expect(call.usage.inputTokens).toBe(streamUsage!.prompt_tokens);
    expect(call.usage.outputTokens).toBe(streamUsage!.completion_tokens);
    expect(call.usage.cachedInputTokens).toBe(streamUsage!.prompt_tokens_details!.cached_tokens);
    expect(call.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(call.timeToFirstTokenMs).toBeLessThanOrEqual(call.durationMs);
    expect(call.feature).toBe('support-chat-stream');
    expect(call.tenant).toBe('acme');
  });

  it('exports metrics with GenAI buckets and attribution', () => {
    const duration = harness.metric('gen_ai.client.operation.duration');
    const point = pointsWith(duration, { 'feature.name': 'support-chat', 'tenant.id': 'acme' })[0];
    expect(point?.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    expect(point?.attributes['gen_ai.provider.name']).toBe('openai');
    expect(point?.attributes['user.id']).toBeUndefined();
    expect(histogramOf(point)?.buckets.boundaries).toContain(8);
    expect(histogramOf(point)?.buckets.boundaries).toContain(0.5);
    const ttft = pointsWith(harness.metric('gen_ai.client.operation.time_to_first_chunk'), {
      'feature.name': 'support-chat-stream',
    });
    expect(histogramOf(ttft[0])?.count).toBe(1);
    const input = pointsWith(harness.metric('gen_ai.tokens.consumed'), {
      'feature.name': 'support-chat',
      'gen_ai.token.type': 'input',
    });
    expect(input[0]?.value).toBe(completion.usage!.prompt_tokens);
    const cached = pointsWith(harness.metric('gen_ai.tokens.consumed'), {
      'feature.name': 'support-chat',
      'gen_ai.token.type': 'cache_read',
    });
    expect(cached[0]?.value).toBe(completion.usage!.prompt_tokens_details!.cached_tokens);
    const active = pointsWith(harness.metric('gen_ai.requests.active'), {
      'feature.name': 'support-chat',
    });
    expect(active[0]?.value).toBe(0);
  });
});

describe('chat errors in Foghorn', () => {
  const outcomes: [string, string][] = [
    ['rate_limit', 'rate_limit'],
    ['server_error', 'server_error'],
    ['service_unavailable', 'server_error'],
    ['content_filter', 'content_filter'],
    ['authentication', 'authentication'],
    ['timeout', 'timeout'],
  ];

  beforeAll(async () => {
    await withAttribution({ tenant: 'errors-tenant' }, async () => {
      for (const [outcome] of outcomes) {
        const headers = { [MOCK_HEADERS.outcome]: outcome };
        const timeout = outcome === 'timeout' ? 300 : 2000;
        await instrumented.chat.completions
          .create({ model: 'gpt-4o', messages: USER_MESSAGES }, { headers, timeout })
          .catch(() => null);
      }
    });
    await harness.flush();
  });

  it('classifies each error type', async () => {
    const groups = await harness.summary('errorType', 'tenant=errors-tenant');
    const count = (key: string): number =>
      groups.find((group: any) => group.key === key)?.requests ?? 0;
    expect(count('rate_limit')).toBe(1);
    expect(count('server_error')).toBe(2);
    expect(count('content_filter')).toBe(1);
    expect(count('authentication')).toBe(1);
    expect(count('timeout')).toBe(1);
  });

  it('counts errors by type in metrics', () => {
    const errors = harness.metric('gen_ai.errors');
    const serverErrors = pointsWith(errors, {
      'tenant.id': 'errors-tenant',
      'error.type': 'server_error',
    });
    expect(serverErrors[0]?.value).toBe(2);
    const timeouts = pointsWith(errors, { 'tenant.id': 'errors-tenant', 'error.type': 'timeout' });
    expect(timeouts[0]?.value).toBe(1);
  });
});

describe('tool calls and embeddings', () => {
  let toolTraceId: string;
  let embeddingTraceId: string;
  let embeddingTokens: number;

  beforeAll(async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'lookup_order',
          parameters: { type: 'object', properties: { orderId: { type: 'string' } } },
        },
      },
    ];
    const stream = await instrumented.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: USER_MESSAGES,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    toolTraceId = spanContextOf(stream)!.traceId;
    await collect(stream);
    const embedding = await instrumented.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['order 1234', 'refund'],
    });
    embeddingTraceId = spanContextOf(embedding)!.traceId;
    embeddingTokens = embedding.usage.prompt_tokens;
    await harness.flush();
  });

  it('records the tool-call finish reason of a stream', async () => {
    const [call] = await harness.traceSpans(toolTraceId);
    expect(call.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    expect(call.usage.outputTokens).toBeGreaterThan(0);
    expect(call.attributes['gen_ai.output.messages']).toBeUndefined();
  });

  it('records embeddings input tokens', async () => {
    const [call] = await harness.traceSpans(embeddingTraceId);
    expect(call.operation).toBe('embeddings');
    expect(call.usage.inputTokens).toBe(embeddingTokens);
    expect(call.usage.outputTokens).toBe(0);
  });

  it('logs nothing while exports succeed', () => {
    expect(harness.logLines.filter((line) => !line.startsWith('info'))).toEqual([]);
  });
});
