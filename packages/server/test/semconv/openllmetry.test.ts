import { describe, expect, it } from 'vitest';
import { eventAt, normalizeOne } from './normalize-one.ts';

/**
 * Hand-built OpenLLMetry spans. Names come from traceloop/openllmetry
 * `opentelemetry-semantic-conventions-ai` (`SpanAttributes`) and the instrumentations
 * of the generation named in each case; generation C is covered by a recording.
 */
describe('OpenLLMetry', () => {
  it('reads generation A token names', () => {
    // traceloop-sdk 0.47 (Python): llm.request.type, prompt_tokens, llm.usage.total_tokens,
    // capitalised gen_ai.system; the Anthropic instrumentation already sums cache into input.
    const span = normalizeOne(
      {
        'gen_ai.system': 'Anthropic',
        'llm.request.type': 'chat',
        'gen_ai.request.model': 'claude-3-5-sonnet-20241022',
        'gen_ai.response.model': 'claude-3-5-sonnet-20241022',
        'gen_ai.usage.prompt_tokens': 1100,
        'gen_ai.usage.completion_tokens': 60,
        'llm.usage.total_tokens': 1160,
        'gen_ai.usage.cache_read_input_tokens': 1000,
        'gen_ai.usage.cache_creation_input_tokens': 0,
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.content': 'hi',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.finish_reason': 'end_turn',
      },
      { scopeName: 'opentelemetry.instrumentation.anthropic', name: 'anthropic.chat' },
    );
    expect(span.dialect).toBe('openllmetry');
    expect(span.operation).toBe('chat');
    expect(span.provider).toBe('anthropic');
    expect(span.usage).toEqual({
      inputTokens: 1100,
      outputTokens: 60,
      cachedInputTokens: 1000,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('adds cache to OpenLLMetry JS 0.22 Anthropic input', () => {
    // openllmetry-js 0.22.x instrumentation-anthropic wrote the raw input_tokens as prompt_tokens.
    const span = normalizeOne(
      {
        'gen_ai.system': 'Anthropic',
        'llm.request.type': 'chat',
        'gen_ai.request.model': 'claude-3-5-haiku-20241022',
        'gen_ai.usage.prompt_tokens': 2000,
        'gen_ai.usage.completion_tokens': 10,
        'llm.usage.total_tokens': 2010,
        'gen_ai.usage.cache_read_input_tokens': 500,
        'gen_ai.usage.cache_creation_input_tokens': 300,
      },
      { scopeName: '@traceloop/instrumentation-anthropic' },
    );
    expect(span.usage.inputTokens).toBe(2800);
    expect(span.usage.cachedInputTokens).toBe(500);
    expect(span.usage.cacheWriteTokens).toBe(300);
  });

  it('reads generation B embeddings', () => {
    // traceloop-sdk 0.48 to 0.54: OTel token names, still llm.request.type and gen_ai.system.
    const span = normalizeOne({
      'gen_ai.system': 'OpenAI',
      'llm.request.type': 'embedding',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': 8,
      'llm.usage.total_tokens': 8,
    });
    expect(span.operation).toBe('embeddings');
    expect(span.spanType).toBe('embedding');
    expect(span.provider).toBe('openai');
    expect(span.usage.inputTokens).toBe(8);
  });

  it('maps completion request type', () => {
    const span = normalizeOne({
      'gen_ai.system': 'openai',
      'llm.request.type': 'completion',
      'gen_ai.request.model': 'gpt-3.5-turbo-instruct',
      'gen_ai.usage.prompt_tokens': 5,
      'gen_ai.usage.completion_tokens': 7,
    });
    expect(span.operation).toBe('text_completion');
  });

  it.each([
    ['workflow', 'invoke_workflow', 'chain'],
    ['task', 'invoke_workflow', 'chain'],
    ['agent', 'invoke_agent', 'agent'],
    ['tool', 'execute_tool', 'tool'],
  ])('maps span kind %s', (kind, operation, spanType) => {
    // traceloop-sdk decorators @workflow, @task, @agent, @tool.
    const span = normalizeOne({
      'traceloop.span.kind': kind,
      'traceloop.entity.name': 'triage',
      'traceloop.workflow.name': 'support',
    });
    expect(span.dialect).toBe('openllmetry');
    expect(span.operation).toBe(operation);
    expect(span.spanType).toBe(spanType);
    expect(span.feature).toBe('support');
  });

  it('reads association properties', () => {
    // Traceloop.set_association_properties copies these onto every span in context.
    const span = normalizeOne({
      'traceloop.span.kind': 'workflow',
      'traceloop.association.properties.customer_id': 'acme',
      'traceloop.association.properties.user_id': 'u-7',
      'traceloop.association.properties.session_id': 's-9',
    });
    expect(span.tenant).toBe('acme');
    expect(span.userId).toBe('u-7');
    expect(span.sessionId).toBe('s-9');
  });

  it('takes time to first token from chunk events', () => {
    // Streaming spans get one llm.content.completion.chunk event per chunk (up to 0.54).
    const span = normalizeOne(
      {
        'gen_ai.system': 'openai',
        'llm.request.type': 'chat',
        'llm.is_streaming': true,
        'gen_ai.request.model': 'gpt-4o',
      },
      {
        events: [
          eventAt('llm.content.completion.chunk', 340),
          eventAt('llm.content.completion.chunk', 360),
        ],
      },
    );
    expect(span.timeToFirstTokenMs).toBe(340);
  });

  it('reads generation C reasoning name', () => {
    // traceloop-sdk 0.55+: OTel names except gen_ai.usage.reasoning_tokens.
    const span = normalizeOne({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'o3',
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.output_tokens': 400,
      'gen_ai.usage.reasoning_tokens': 320,
      'gen_ai.is_streaming': false,
    });
    expect(span.dialect).toBe('openllmetry');
    expect(span.usage.reasoningTokens).toBe(320);
    expect(span.usage.outputTokens).toBe(400);
  });
});
