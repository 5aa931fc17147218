import { describe, expect, it } from 'vitest';
import { eventAt, normalizeOne } from './normalize-one.ts';

/**
 * Hand-built OpenInference spans for the span kinds and attributes the recordings
 * do not cover. Names follow Arize-ai/openinference `spec/semantic_conventions.md`
 * (semantic conventions 0.1.x).
 */
describe('OpenInference', () => {
  it.each([
    ['EMBEDDING', 'embeddings', 'embedding', true],
    ['RETRIEVER', 'retrieval', 'retrieval', false],
    ['RERANKER', 'rerank', 'retrieval', false],
    ['TOOL', 'execute_tool', 'tool', false],
    ['AGENT', 'invoke_agent', 'agent', false],
    ['CHAIN', 'invoke_workflow', 'chain', false],
    ['GUARDRAIL', 'other', 'other', false],
    ['EVALUATOR', 'other', 'other', false],
  ])('maps span kind %s', (kind, operation, spanType, isLlmCall) => {
    const span = normalizeOne({ 'openinference.span.kind': kind });
    expect(span.dialect).toBe('openinference');
    expect(span.operation).toBe(operation);
    expect(span.spanType).toBe(spanType);
    expect(span.isLlmCall).toBe(isLlmCall);
  });

  it('reads embedding model and tokens', () => {
    const span = normalizeOne({
      'openinference.span.kind': 'EMBEDDING',
      'embedding.model_name': 'text-embedding-3-large',
      'llm.token_count.prompt': 24,
      'llm.token_count.total': 24,
    });
    expect(span.requestModel).toBe('text-embedding-3-large');
    expect(span.usage.inputTokens).toBe(24);
  });

  it('reads Anthropic cache counts', () => {
    // openinference-instrumentation-anthropic sums cache reads and writes into the prompt count.
    const span = normalizeOne({
      'openinference.span.kind': 'LLM',
      'llm.system': 'anthropic',
      'llm.provider': 'anthropic',
      'llm.model_name': 'claude-sonnet-4-5-20250929',
      'llm.token_count.prompt': 1500,
      'llm.token_count.prompt_details.cache_read': 1000,
      'llm.token_count.prompt_details.cache_write': 200,
      'llm.token_count.completion': 80,
      'llm.token_count.completion_details.reasoning': 30,
    });
    expect(span.usage).toEqual({
      inputTokens: 1500,
      outputTokens: 80,
      cachedInputTokens: 1000,
      cacheWriteTokens: 200,
      reasoningTokens: 30,
    });
  });

  it('prefers the host provider', () => {
    // llm.system is the model vendor, llm.provider the host: OpenAI models on Azure.
    const span = normalizeOne({
      'openinference.span.kind': 'LLM',
      'llm.system': 'openai',
      'llm.provider': 'azure',
      'llm.model_name': 'gpt-4o',
    });
    expect(span.provider).toBe('azure.ai.openai');
  });

  it('reads request and response model names', () => {
    // llm.request.model_name / llm.response.model_name, set only when the two differ.
    const span = normalizeOne({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-2024-08-06',
      'llm.request.model_name': 'gpt-4o',
      'llm.response.model_name': 'gpt-4o-2024-08-06',
    });
    expect(span.requestModel).toBe('gpt-4o');
    expect(span.responseModel).toBe('gpt-4o-2024-08-06');
    expect(span.model).toBe('gpt-4o');
  });

  it('reads session, user and metadata', () => {
    // session.id, user.id and the JSON `metadata` attribute of the Python instrumentations.
    const span = normalizeOne({
      'openinference.span.kind': 'CHAIN',
      'session.id': 'sess-1',
      'user.id': 'user-2',
      metadata: '{"tenant_id": "acme", "feature": "search"}',
    });
    expect(span.sessionId).toBe('sess-1');
    expect(span.userId).toBe('user-2');
    expect(span.tenant).toBe('acme');
    expect(span.feature).toBe('search');
  });

  it('takes time to first token from its stream event', () => {
    // openinference-instrumentation-openai adds `First Token Stream Event` at the first chunk.
    const span = normalizeOne(
      { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini' },
      { events: [eventAt('First Token Stream Event', 412)] },
    );
    expect(span.timeToFirstTokenMs).toBe(412);
  });

  it('classifies a rate-limited call', () => {
    const span = normalizeOne(
      { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini' },
      {
        statusCode: 2,
        statusMessage: 'RateLimitError',
        events: [
          eventAt('exception', 30, {
            'exception.type': 'openai.RateLimitError',
            'exception.message': "Error code: 429 - {'error': {'code': 'rate_limit_exceeded'}}",
          }),
        ],
      },
    );
    expect(span.errorType).toBe('rate_limit');
  });
});
