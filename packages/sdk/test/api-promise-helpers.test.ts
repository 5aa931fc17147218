import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MOCK_HEADERS, startMockProvider, type MockProvider } from '@foghorn/demo';
import { init, instrumentOpenAI, spanContextOf, type FoghornSdk } from '../src/index.ts';

const PARAMS = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Where is my order 1234?' }],
};

let provider: MockProvider;
let sdk: FoghornSdk;
let client: OpenAI;
const spans = new InMemorySpanExporter();

beforeAll(async () => {
  provider = await startMockProvider({ seed: 11 });
  sdk = init({
    exporter: 'none',
    metrics: false,
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  client = instrumentOpenAI(
    new OpenAI({
      apiKey: 'sk-test',
      baseURL: provider.url,
      maxRetries: 0,
      timeout: 2000,
      defaultHeaders: { [MOCK_HEADERS.latencyFactor]: '0.05' },
    }),
  );
});

afterAll(async () => {
  await sdk?.shutdown();
  await provider?.close();
});

beforeEach(() => spans.reset());

function callSpans() {
  return spans.getFinishedSpans().filter((span) => span.name === 'chat gpt-4o-mini');
}

describe('API promise helpers', () => {
  it('withResponse ends the span with the response', async () => {
    const { data, response } = await client.chat.completions.create(PARAMS).withResponse();
    expect(response.status).toBe(200);
    const [span] = callSpans();
    expect(callSpans()).toHaveLength(1);
    expect(span!.attributes['gen_ai.response.model']).toBe(data.model);
    expect(span!.spanContext().spanId).toBe(spanContextOf(data)!.spanId);
  });

  it('parse helper ends the span with the response', async () => {
    const parsed = await client.chat.completions.parse(PARAMS);
    const [span] = callSpans();
    expect(callSpans()).toHaveLength(1);
    expect(span!.attributes['gen_ai.response.model']).toBe(parsed.model);
    expect(span!.attributes['gen_ai.usage.output_tokens']).toBe(parsed.usage!.completion_tokens);
  });

  it('asResponse ends the span without parsing', async () => {
    const response = await client.chat.completions.create(PARAMS).asResponse();
    const body = (await response.json()) as { model: string };
    expect(body.model).toMatch(/^gpt-4o-mini/);
    const [span] = callSpans();
    expect(callSpans()).toHaveLength(1);
    expect(span!.attributes['gen_ai.response.model']).toBeUndefined();
    expect(span!.status.code).toBe(0);
  });

  it('parse helper ends the span of a failed request', async () => {
    const failed = client.chat.completions.parse(PARAMS, {
      headers: { [MOCK_HEADERS.outcome]: 'rate_limit' },
    });
    await expect(failed).rejects.toThrow(/429/);
    const [span] = callSpans();
    expect(callSpans()).toHaveLength(1);
    expect(span!.attributes['error.type']).toBe('rate_limit');
    expect(span!.status.code).toBe(2);
  });
});
