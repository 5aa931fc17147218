import { describe, expect, it } from 'vitest';
import { eventAt, normalizeOne, START_UNIX_NANO } from './normalize-one.ts';

/**
 * Hand-built Langfuse SDK and MLflow spans; the recordings hold neither. Langfuse
 * names follow langfuse/langfuse `packages/shared/src/server/otel/attributes.ts`
 * (Python SDK v3, JS SDK v4); MLflow names follow `mlflow/tracing/constant.py`.
 */
describe('Langfuse SDK attributes', () => {
  it('adds exclusive usage buckets back', () => {
    // Langfuse usage_details: `input` without cache, `output` without reasoning.
    const startIso = new Date(Number(START_UNIX_NANO / 1_000_000n) + 640).toISOString();
    const span = normalizeOne({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o',
      'langfuse.observation.usage_details':
        '{"input":200,"input_cached_tokens":800,"output":50,"output_reasoning_tokens":30,"total":1080}',
      'langfuse.observation.completion_start_time': JSON.stringify(startIso),
      'langfuse.user.id': 'u-3',
      'langfuse.session.id': 's-3',
      'langfuse.trace.metadata.tenant_id': 'initech',
      'langfuse.environment': 'staging',
      'langfuse.trace.name': 'ticket-summary',
    });
    expect(span.dialect).toBe('langfuse');
    expect(span.operation).toBe('chat');
    expect(span.model).toBe('gpt-4o');
    expect(span.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 80,
      cachedInputTokens: 800,
      cacheWriteTokens: 0,
      reasoningTokens: 30,
    });
    expect(span.timeToFirstTokenMs).toBe(640);
    expect(span.userId).toBe('u-3');
    expect(span.sessionId).toBe('s-3');
    expect(span.tenant).toBe('initech');
    expect(span.environment).toBe('staging');
    expect(span.feature).toBe('ticket-summary');
  });

  it('reads OpenAI chat usage as inclusive', () => {
    // The Langfuse OpenAI integration passes OpenAI's usage object on with its nested details.
    const span = normalizeOne({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o',
      'langfuse.observation.usage_details': JSON.stringify({
        prompt_tokens: 1000,
        completion_tokens: 500,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 800, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 300 },
      }),
    });
    expect(span.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 500,
      cachedInputTokens: 800,
      cacheWriteTokens: 0,
      reasoningTokens: 300,
    });
  });

  it('reads OpenAI Responses usage as inclusive', () => {
    const span = normalizeOne({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o',
      'langfuse.observation.usage_details': JSON.stringify({
        input_tokens: 1000,
        output_tokens: 500,
        total_tokens: 1500,
        input_tokens_details: { cached_tokens: 800 },
        output_tokens_details: { reasoning_tokens: 300 },
      }),
    });
    expect(span.usage.inputTokens).toBe(1000);
    expect(span.usage.cachedInputTokens).toBe(800);
    expect(span.usage.outputTokens).toBe(500);
    expect(span.usage.reasoningTokens).toBe(300);
  });

  it('reads LangChain usage metadata as inclusive', () => {
    const span = normalizeOne({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'claude-sonnet-4-5',
      'langfuse.observation.usage_details': JSON.stringify({
        input_tokens: 1200,
        output_tokens: 90,
        total_tokens: 1290,
        input_token_details: { cache_read: 700, cache_creation: 300 },
        output_token_details: { reasoning: 40 },
      }),
    });
    expect(span.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 90,
      cachedInputTokens: 700,
      cacheWriteTokens: 300,
      reasoningTokens: 40,
    });
  });

  it('sums cache writes split by lifetime', () => {
    const span = normalizeOne({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.usage_details':
        '{"input":10,"input_cache_creation_5m":300,"input_cache_creation_1h":100,"output":5}',
    });
    expect(span.usage.cacheWriteTokens).toBe(400);
    expect(span.usage.inputTokens).toBe(410);
  });

  it('treats level ERROR as a failure', () => {
    const span = normalizeOne({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.level': 'ERROR',
      'langfuse.observation.status_message': 'Request timed out.',
    });
    expect(span.statusCode).toBe('unset');
    expect(span.errorType).toBe('timeout');
  });

  it('lets the GenAI operation type a plain span', () => {
    // A `span` observation names no kind of work, so the gen_ai attributes decide.
    const span = normalizeOne({
      'langfuse.observation.type': 'span',
      'langfuse.observation.model.name': 'gpt-4o',
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 3,
    });
    expect(span.dialect).toBe('langfuse');
    expect(span.operation).toBe('chat');
    expect(span.usage.inputTokens).toBe(9);
  });
});

describe('MLflow attributes', () => {
  it('decodes JSON-encoded values', () => {
    // MLflow JSON-encodes every attribute value, plain strings included.
    const span = normalizeOne(
      {
        'mlflow.traceRequestId': '"tr-1a2b"',
        'mlflow.spanType': '"CHAT_MODEL"',
        'mlflow.message.format': '"openai"',
        'mlflow.spanInputs':
          '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}',
        'mlflow.chat.tokenUsage': '{"input_tokens": 12, "output_tokens": 7, "total_tokens": 19}',
      },
      { events: [eventAt('mlflow.chunk.item.0', 95, { 'mlflow.chunk.value': '{}' })] },
    );
    expect(span.dialect).toBe('mlflow');
    expect(span.operation).toBe('chat');
    expect(span.requestModel).toBe('gpt-4o-mini');
    expect(span.usage.inputTokens).toBe(12);
    expect(span.usage.outputTokens).toBe(7);
    expect(span.timeToFirstTokenMs).toBe(95);
  });

  it('adds cache to Anthropic autolog input', () => {
    // mlflow/anthropic/autolog.py passes the raw Anthropic input_tokens.
    const span = normalizeOne({
      'mlflow.spanType': '"CHAT_MODEL"',
      'mlflow.message.format': '"anthropic"',
      'mlflow.chat.tokenUsage':
        '{"input_tokens": 20, "output_tokens": 5, "total_tokens": 25, "cache_read_input_tokens": 10}',
    });
    expect(span.usage.inputTokens).toBe(30);
  });

  it('reads the model and provider attributes', () => {
    const span = normalizeOne({
      'mlflow.spanType': '"LLM"',
      'mlflow.llm.model': '"claude-sonnet-4-5"',
      'mlflow.llm.provider': '"anthropic"',
    });
    expect(span.requestModel).toBe('claude-sonnet-4-5');
    expect(span.provider).toBe('anthropic');
  });

  it.each([
    ['"AGENT"', 'invoke_agent'],
    ['"TOOL"', 'execute_tool'],
    ['"RETRIEVER"', 'retrieval'],
    ['"CHAIN"', 'invoke_workflow'],
    ['"PARSER"', 'other'],
  ])('maps span type %s', (spanType, operation) => {
    expect(normalizeOne({ 'mlflow.spanType': spanType }).operation).toBe(operation);
  });
});
