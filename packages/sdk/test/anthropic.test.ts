import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentAnthropic, spanContextOf, withAttribution } from '../src/index.ts';
import {
  ANTHROPIC_MOCK_USAGE,
  ANTHROPIC_OUTCOME_HEADER,
  startAnthropicMock,
  type AnthropicMock,
} from './helpers/anthropic-mock.ts';
import { expectedCostUsd, pointsWith, startHarness, type Harness } from './helpers/sdk-harness.ts';

let harness: Harness;
let mock: AnthropicMock;
let instrumented: Anthropic;
let plain: Anthropic;

const MODEL = 'claude-haiku-4-5';
const PARAMS = {
  model: MODEL,
  max_tokens: 512,
  system: 'You are a billing assistant.',
  messages: [{ role: 'user' as const, content: 'Was my refund approved?' }],
};
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather forecast',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};

/** Anthropic's usage in the OTel meaning: input includes cache reads and writes. */
const OTEL_INPUT_TOKENS =
  ANTHROPIC_MOCK_USAGE.input_tokens +
  ANTHROPIC_MOCK_USAGE.cache_read_input_tokens +
  ANTHROPIC_MOCK_USAGE.cache_creation_input_tokens;

function createClient(): Anthropic {
  return new Anthropic({ apiKey: 'sk-ant-test', baseURL: mock.url, maxRetries: 0 });
}

beforeAll(async () => {
  harness = await startHarness();
  mock = await startAnthropicMock();
  instrumented = instrumentAnthropic(createClient());
  plain = createClient();
});

afterAll(async () => {
  await harness?.stop();
  await mock?.close();
});

async function collect(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('instrumented Anthropic messages', () => {
  it('returns and streams what the plain client does', async () => {
    expect(await instrumented.messages.create(PARAMS)).toEqual(await plain.messages.create(PARAMS));
    const expected = await collect(await plain.messages.create({ ...PARAMS, stream: true }));
    expect(await collect(await instrumented.messages.create({ ...PARAMS, stream: true }))).toEqual(
      expected,
    );
    const helperMessage = await instrumented.messages.stream(PARAMS).finalMessage();
    expect(helperMessage).toEqual(await plain.messages.stream(PARAMS).finalMessage());
  });

  it('throws the same errors as the plain client', async () => {
    for (const outcome of ['rate_limit', 'overloaded', 'authentication', 'invalid_request']) {
      const headers = { [ANTHROPIC_OUTCOME_HEADER]: outcome };
      const expected = await plain.messages
        .create(PARAMS, { headers })
        .catch((error: unknown) => error);
      const actual = await instrumented.messages
        .create(PARAMS, { headers })
        .catch((error: unknown) => error);
      expect(actual).toBeInstanceOf((expected as object).constructor);
      expect((actual as { status: number }).status).toBe((expected as { status: number }).status);
      expect((actual as Error).message).toBe((expected as Error).message);
    }
  });
});

describe('Anthropic telemetry in Foghorn', () => {
  let message: Anthropic.Message;
  let streamTraceId: string;
  let toolTraceId: string;

  beforeAll(async () => {
    await withAttribution({ tenant: 'globex', feature: 'billing-bot' }, async () => {
      message = await instrumented.messages.create(PARAMS);
      const stream = await instrumented.messages.create({ ...PARAMS, stream: true });
      streamTraceId = spanContextOf(stream)!.traceId;
      await collect(stream);
      const toolStream = await instrumented.messages.create({
        ...PARAMS,
        tools: [WEATHER_TOOL],
        stream: true,
      });
      toolTraceId = spanContextOf(toolStream)!.traceId;
      await collect(toolStream);
    });
    await withAttribution({ tenant: 'anthropic-errors' }, async () => {
      for (const outcome of ['rate_limit', 'overloaded', 'authentication', 'invalid_request']) {
        await instrumented.messages
          .create(PARAMS, { headers: { [ANTHROPIC_OUTCOME_HEADER]: outcome } })
          .catch(() => null);
      }
      const failing = await instrumented.messages.create(
        { ...PARAMS, stream: true },
        { headers: { [ANTHROPIC_OUTCOME_HEADER]: 'stream_error' } },
      );
      await collect(failing).catch(() => null);
    });
    await harness.flush();
  });

  it('converts cache usage to the OTel meaning and prices it', async () => {
    const [call] = (await harness.traceSpans(spanContextOf(message)!.traceId)).filter(
      (span: any) => span.isLlmCall,
    );
    const expectedUsage = {
      inputTokens: OTEL_INPUT_TOKENS,
      outputTokens: message.usage.output_tokens,
      cachedInputTokens: ANTHROPIC_MOCK_USAGE.cache_read_input_tokens,
      cacheWriteTokens: ANTHROPIC_MOCK_USAGE.cache_creation_input_tokens,
      reasoningTokens: 0,
    };
    expect(call.usage).toEqual(expectedUsage);
    expect(call.cost.totalUsd).toBeCloseTo(expectedCostUsd('anthropic', MODEL, expectedUsage), 12);
    expect(call.provider).toBe('anthropic');
    expect(call.responseModel).toBe(message.model);
    expect(call.attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
    expect(call.tenant).toBe('globex');
  });

  it('records stream usage from message_delta and time to first chunk', async () => {
    const spans = (await harness.traceSpans(streamTraceId)).filter((span: any) => span.isLlmCall);
    expect(spans).toHaveLength(1);
    expect(spans[0].usage.inputTokens).toBe(OTEL_INPUT_TOKENS);
    expect(spans[0].usage.outputTokens).toBe(message.usage.output_tokens);
    expect(spans[0].timeToFirstTokenMs).toBeGreaterThan(0);
    expect(spans[0].timeToFirstTokenMs).toBeLessThanOrEqual(spans[0].durationMs);
  });

  it('records a streamed tool call', async () => {
    const [call] = await harness.traceSpans(toolTraceId);
    expect(call.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_use']);
    expect(call.usage.outputTokens).toBe(17);
  });

  it('classifies Anthropic errors, also inside a stream', async () => {
    const groups = await harness.summary('errorType', 'tenant=anthropic-errors');
    const count = (key: string): number =>
      groups.find((group: any) => group.key === key)?.requests ?? 0;
    expect(count('rate_limit')).toBe(1);
    expect(count('server_error')).toBe(2);
    expect(count('authentication')).toBe(1);
    expect(count('client_error')).toBe(1);
  });

  it('records cache token metrics by type', () => {
    const tokens = harness.metric('gen_ai.tokens.consumed');
    const cacheWrite = pointsWith(tokens, {
      'tenant.id': 'globex',
      'gen_ai.token.type': 'cache_write',
    });
    const total = cacheWrite.reduce((sum, point) => sum + (point.value as number), 0);
    expect(total).toBe(3 * ANTHROPIC_MOCK_USAGE.cache_creation_input_tokens);
  });
});
