import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentOpenAI, spanContextOf } from '../src/index.ts';
import {
  RESPONSES_MOCK_USAGE,
  startResponsesMock,
  type ResponsesMock,
} from './helpers/responses-mock.ts';
import { startHarness, type Harness } from './helpers/sdk-harness.ts';

let harness: Harness;
let mock: ResponsesMock;
let client: OpenAI;

const EMAIL = 'jane.doe@example.com';
const PROMPT = `What is the capital of France? Reply to ${EMAIL}.`;

beforeAll(async () => {
  harness = await startHarness({ captureContent: true });
  mock = await startResponsesMock();
  client = instrumentOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: mock.url, maxRetries: 0 }));
});

afterAll(async () => {
  await harness?.stop();
  await mock?.close();
});

describe('Responses API with content capture', () => {
  let response: OpenAI.Responses.Response;
  let streamTraceId: string;
  let failedTraceId: string;
  let streamedText = '';

  beforeAll(async () => {
    response = await client.responses.create({
      model: 'gpt-4o-mini',
      input: PROMPT,
      instructions: 'Be brief.',
      max_output_tokens: 200,
    });
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: PROMPT,
      stream: true,
    });
    streamTraceId = spanContextOf(stream)!.traceId;
    for await (const event of stream)
      if (event.type === 'response.output_text.delta') streamedText += event.delta;
    const failing = await client.responses.create(
      { model: 'gpt-4o-mini', input: PROMPT, stream: true },
      { headers: { 'x-mock-outcome': 'failed' } },
    );
    failedTraceId = spanContextOf(failing)!.traceId;
    for await (const _event of failing) {
      // The stream ends normally with a response.failed event.
    }
    await harness.flush();
  });

  it('records usage with cached input and reasoning', async () => {
    const [call] = await harness.traceSpans(spanContextOf(response)!.traceId);
    expect(call.usage).toEqual({
      inputTokens: RESPONSES_MOCK_USAGE.input_tokens,
      outputTokens: RESPONSES_MOCK_USAGE.output_tokens,
      cachedInputTokens: RESPONSES_MOCK_USAGE.input_tokens_details.cached_tokens,
      cacheWriteTokens: 0,
      reasoningTokens: RESPONSES_MOCK_USAGE.output_tokens_details.reasoning_tokens,
    });
    expect(call.responseModel).toBe(response.model);
    expect(call.attributes['gen_ai.request.max_tokens']).toBe(200);
    expect(call.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(response.output_text).toBe('Paris is the capital of France.');
  });

  it('captures prompts and completions after redaction', async () => {
    const [call] = await harness.traceSpans(spanContextOf(response)!.traceId);
    const input = call.attributes['gen_ai.input.messages'] as string;
    expect(input).toContain('What is the capital of France?');
    expect(input).not.toContain(EMAIL);
    expect(JSON.parse(input)[0].role).toBe('user');
    expect(JSON.parse(call.attributes['gen_ai.system_instructions'])).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    const output = JSON.parse(call.attributes['gen_ai.output.messages']);
    expect(output[0].parts[0]).toEqual({
      type: 'text',
      content: 'Paris is the capital of France.',
    });
  });

  it('records a streamed response and its time to first chunk', async () => {
    const [call] = await harness.traceSpans(streamTraceId);
    expect(streamedText.trim()).toBe('Paris is the capital of France.');
    expect(call.usage.inputTokens).toBe(RESPONSES_MOCK_USAGE.input_tokens);
    expect(call.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(call.errorType).toBeNull();
  });

  it('records response.failed as a server error', async () => {
    const [call] = await harness.traceSpans(failedTraceId);
    expect(call.errorType).toBe('server_error');
    expect(call.statusCode).toBe('error');
  });
});
