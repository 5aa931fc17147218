import OpenAI, {
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import type { ChatCompletionChunk, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyError } from '../src/app/error-type.ts';
import type { MockProvider } from '../src/index.ts';
import { MOCK_HEADERS, startMockProvider } from '../src/index.ts';

let provider: MockProvider;
let client: OpenAI;

beforeAll(async () => {
  provider = await startMockProvider({ seed: 7 });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: provider.url, maxRetries: 0, timeout: 5_000 });
});

afterAll(async () => {
  await provider.close();
});

/** Headers that make the mock respond at once with a successful result. */
const FAST_OK = { [MOCK_HEADERS.simulatedTime]: '1', [MOCK_HEADERS.outcome]: 'ok' };
const tokensOf = (text: string): number => Math.ceil(text.length / 4);

const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } } },
    },
  },
  {
    type: 'function',
    function: {
      name: 'refund',
      parameters: { type: 'object', properties: { amount: { type: 'number' } } },
    },
  },
];

describe('chat completions', () => {
  it('reports usage by the four-characters rule', async () => {
    const system = 'You are terse.';
    const user = 'Where is my order number 1234?';
    const completion = await client.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
      },
      { headers: FAST_OK },
    );
    const content = completion.choices[0]?.message.content ?? '';
    expect(content.length).toBeGreaterThan(0);
    expect(completion.usage?.prompt_tokens).toBe(tokensOf(system + user));
    expect(completion.usage?.completion_tokens).toBe(tokensOf(content));
    expect(completion.usage?.total_tokens).toBe(tokensOf(system + user) + tokensOf(content));
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('reports cached tokens for a long system prompt', async () => {
    const system = 'Follow the support policy carefully. '.repeat(130);
    const completion = await client.chat.completions.create(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: 'hi' },
        ],
      },
      { headers: FAST_OK },
    );
    const systemTokens = tokensOf(system);
    expect(systemTokens).toBeGreaterThanOrEqual(1024);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(
      Math.floor(systemTokens / 128) * 128,
    );
  });

  it('reports reasoning tokens for o3-mini', async () => {
    const completion = await client.chat.completions.create(
      {
        model: 'o3-mini',
        messages: [{ role: 'user', content: 'Plan a migration.' }],
        max_completion_tokens: 2000,
      },
      { headers: FAST_OK },
    );
    const visibleTokens = tokensOf(completion.choices[0]?.message.content ?? '');
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(3 * visibleTokens);
    expect(completion.usage?.completion_tokens).toBe(4 * visibleTokens);
  });

  it('truncates at max_tokens with finish reason length', async () => {
    const completion = await client.chat.completions.create(
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Tell me everything.' }],
        max_tokens: 5,
      },
      { headers: FAST_OK },
    );
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(5);
  });

  it('streams content and usage in the final chunk', async () => {
    const user = 'Summarise the refund policy for me.';
    const stream = await client.chat.completions.create(
      {
        model: 'claude-3-5-haiku-20241022',
        messages: [{ role: 'user', content: user }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: FAST_OK },
    );
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    const last = chunks.at(-1);
    expect(chunks.length).toBeGreaterThan(3);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.prompt_tokens).toBe(tokensOf(user));
    expect(last?.usage?.completion_tokens).toBe(tokensOf(content));
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('ends the event stream with [DONE]', async () => {
    const response = await fetch(`${provider.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...FAST_OK },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      }),
    });
    const body = await response.text();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(body).not.toContain('"usage"');
  });

  it('calls each offered tool once, then answers', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Refund order 42' },
    ];
    const finishReasons: string[] = [];
    const toolNames: string[] = [];
    for (let turn = 0; turn < 3; turn += 1) {
      const completion = await client.chat.completions.create(
        { model: 'gpt-4o', messages, tools: TOOLS },
        { headers: FAST_OK },
      );
      const choice = completion.choices[0];
      finishReasons.push(choice?.finish_reason ?? 'missing');
      const call = choice?.message.tool_calls?.[0];
      if (call === undefined || call.type !== 'function') break;
      toolNames.push(call.function.name);
      messages.push(choice!.message, {
        role: 'tool',
        tool_call_id: call.id,
        content: '{"ok":true}',
      });
    }
    expect(finishReasons).toEqual(['tool_calls', 'tool_calls', 'stop']);
    expect(toolNames).toEqual(['lookup_order', 'refund']);
    const firstArguments = messages[1] as OpenAI.ChatCompletionAssistantMessageParam;
    const argumentsJson = firstArguments.tool_calls?.[0];
    expect(
      argumentsJson?.type === 'function' && JSON.parse(argumentsJson.function.arguments),
    ).toHaveProperty('order_id');
  });

  it('answers the same request key with the same result', async () => {
    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'hello' }],
    };
    const headers = { [MOCK_HEADERS.simulatedTime]: '1', [MOCK_HEADERS.requestKey]: 'key-1' };
    const first = await client.chat.completions.create(request, { headers }).withResponse();
    const second = await client.chat.completions.create(request, { headers }).withResponse();
    expect(second.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
    expect(second.response.headers.get(MOCK_HEADERS.latencyMs)).toBe(
      first.response.headers.get(MOCK_HEADERS.latencyMs),
    );
  });

  it('reports the simulated latency in a header', async () => {
    const { response } = await client.chat.completions
      .create(
        { model: 'o3-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: FAST_OK },
      )
      .withResponse();
    const latencyMs = Number(response.headers.get(MOCK_HEADERS.latencyMs));
    expect(Number.isInteger(latencyMs)).toBe(true);
    expect(latencyMs).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  const cases = [
    { outcome: 'rate_limit', errorClass: RateLimitError, status: 429, errorType: 'rate_limit' },
    {
      outcome: 'server_error',
      errorClass: InternalServerError,
      status: 500,
      errorType: 'server_error',
    },
    {
      outcome: 'service_unavailable',
      errorClass: InternalServerError,
      status: 503,
      errorType: 'server_error',
    },
    {
      outcome: 'content_filter',
      errorClass: BadRequestError,
      status: 400,
      errorType: 'content_filter',
    },
    {
      outcome: 'authentication',
      errorClass: AuthenticationError,
      status: 401,
      errorType: 'authentication',
    },
  ] as const;

  for (const { outcome, errorClass, status, errorType } of cases) {
    it(`raises ${errorClass.name} for ${outcome}`, async () => {
      const error = await client.chat.completions
        .create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
          { headers: { [MOCK_HEADERS.simulatedTime]: '1', [MOCK_HEADERS.outcome]: outcome } },
        )
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(errorClass);
      expect((error as InstanceType<typeof errorClass>).status).toBe(status);
      expect(classifyError(error)).toBe(errorType);
    });
  }

  it('sends retry-after with a rate-limit error', async () => {
    const error = (await client.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { [MOCK_HEADERS.simulatedTime]: '1', [MOCK_HEADERS.outcome]: 'rate_limit' } },
      )
      .catch((caught: unknown) => caught)) as RateLimitError;
    expect(error.headers.get('retry-after')).toBe('1');
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.headers.get(MOCK_HEADERS.latencyMs)).toMatch(/^\d+$/);
  });

  it('holds a timeout past the client timeout', async () => {
    const error = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { [MOCK_HEADERS.outcome]: 'timeout' }, timeout: 200 },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(classifyError(error)).toBe('timeout');
  });

  it('rejects an unknown model with 404', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe('model_not_found');
    expect(classifyError(error)).toBe('client_error');
  });

  it('rejects an invalid outcome header', async () => {
    const error = await client.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { [MOCK_HEADERS.outcome]: 'explode' } },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toBe(
      "400 Header x-mock-outcome is 'explode'; expected one of ok, rate_limit, server_error, " +
        'service_unavailable, timeout, content_filter, authentication.',
    );
  });
});

describe('embeddings', () => {
  it('returns unit vectors and usage by the four-characters rule', async () => {
    const inputs = ['reset my password', 'refund policy for annual plans'];
    const result = await client.embeddings.create(
      { model: 'text-embedding-3-small', input: inputs, dimensions: 64 },
      { headers: FAST_OK },
    );
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toHaveLength(64);
    const norm = Math.hypot(...(result.data[1]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 5);
    expect(result.usage.prompt_tokens).toBe(tokensOf(inputs[0]!) + tokensOf(inputs[1]!));
  });

  it('returns float arrays when asked for floats', async () => {
    const result = await client.embeddings.create(
      { model: 'text-embedding-3-small', input: 'reset', encoding_format: 'float' },
      { headers: FAST_OK },
    );
    expect(result.data[0]?.embedding).toHaveLength(1536);
  });
});
