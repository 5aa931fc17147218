import { describe, expect, it } from 'vitest';
import { eventAt, normalizeOne } from './normalize-one.ts';

/**
 * Hand-built spans for the OTel GenAI generations the recorded fixtures do not
 * cover. Attribute names follow open-telemetry/semantic-conventions at the tag
 * named in each case, and semantic-conventions-genai 0.1.0 for the last ones.
 */
describe('OTel GenAI conventions', () => {
  it('reads v1.26 with events and no operation name', () => {
    // v1.26.0 docs/gen-ai/llm-spans.md: gen_ai.system, prompt_tokens, content on span events.
    const span = normalizeOne(
      {
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4',
        'gen_ai.response.model': 'gpt-4-0613',
        'gen_ai.usage.prompt_tokens': 40,
        'gen_ai.usage.completion_tokens': 12,
      },
      {
        events: [
          eventAt('gen_ai.content.prompt', 1, {
            'gen_ai.prompt': '[{"role":"user","content":"hi"}]',
          }),
          eventAt('gen_ai.content.completion', 900, {
            'gen_ai.completion': '[{"content":"hello"}]',
          }),
        ],
      },
    );
    expect(span.dialect).toBe('otel_genai_legacy');
    expect(span.operation).toBe('chat');
    expect(span.isLlmCall).toBe(true);
    expect(span.provider).toBe('openai');
    expect(span.usage).toEqual({
      inputTokens: 40,
      outputTokens: 12,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    expect(span.events.map((event) => event.name)).toEqual([
      'gen_ai.content.prompt',
      'gen_ai.content.completion',
    ]);
  });

  it('maps v1.30 to v1.34 provider values', () => {
    // v1.30.0 CHANGELOG: az.ai.openai; v1.33.0 renamed Google values, old ones kept.
    const azure = normalizeOne({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'az.ai.openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 2,
    });
    expect(azure.provider).toBe('azure.ai.openai');
    expect(azure.dialect).toBe('otel_genai_legacy');
    expect(normalizeOne({ 'gen_ai.system': 'vertex_ai' }).provider).toBe('gcp.vertex_ai');
    expect(normalizeOne({ 'gen_ai.system': 'xai' }).provider).toBe('x_ai');
  });

  it('keeps v1.40 Anthropic input that includes cache', () => {
    // v1.40.0 docs/gen-ai/anthropic.md: input_tokens = input + cache_read + cache_creation.
    const span = normalizeOne({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.cache_read.input_tokens': 800,
      'gen_ai.usage.cache_creation.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
    });
    expect(span.dialect).toBe('otel_genai');
    expect(span.usage.inputTokens).toBe(1000);
    expect(span.usage.cachedInputTokens).toBe(800);
    expect(span.usage.cacheWriteTokens).toBe(100);
  });

  it('adds cache to raw Anthropic input', () => {
    // An emitter that put Anthropic's raw input_tokens (cache excluded) into the OTel name.
    const span = normalizeOne({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.cache_read.input_tokens': 3000,
      'gen_ai.usage.output_tokens': 40,
    });
    expect(span.usage.inputTokens).toBe(3012);
  });

  it('reads v1.41 reasoning and time to first chunk', () => {
    // v1.41.0: gen_ai.usage.reasoning.output_tokens, gen_ai.response.time_to_first_chunk (s).
    const span = normalizeOne({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'o4-mini',
      'gen_ai.request.stream': true,
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.reasoning.output_tokens': 256,
      'gen_ai.response.time_to_first_chunk': 0.25,
    });
    expect(span.usage.outputTokens).toBe(300);
    expect(span.usage.reasoningTokens).toBe(256);
    expect(span.timeToFirstTokenMs).toBe(250);
  });

  it('adds Gemini thoughts missing from output', () => {
    // Gemini's candidatesTokenCount excludes thoughtsTokenCount; reasoning above output shows it.
    const span = normalizeOne({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.5-pro',
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.reasoning.output_tokens': 400,
    });
    expect(span.operation).toBe('generate_content');
    expect(span.usage.outputTokens).toBe(430);
  });

  it('counts no usage on agent and workflow spans', () => {
    // v1.41.0 allows usage totals on invoke_agent and invoke_workflow; they repeat the calls.
    for (const operation of ['invoke_agent', 'invoke_workflow', 'create_agent']) {
      const span = normalizeOne({
        'gen_ai.operation.name': operation,
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 500,
        'gen_ai.usage.output_tokens': 90,
      });
      expect(span.isLlmCall).toBe(false);
      expect(span.usage.inputTokens).toBe(0);
      expect(span.usage.outputTokens).toBe(0);
    }
  });

  it('reads the 0.1.0 cache_write name', () => {
    // semantic-conventions-genai 0.1.0: cache_creation renamed to cache_write.
    const span = normalizeOne({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.cache_write.input_tokens': 600,
      'gen_ai.usage.output_tokens': 5,
    });
    expect(span.usage.cacheWriteTokens).toBe(600);
    expect(span.usage.inputTokens).toBe(900);
  });

  it('reads usage from the details event', () => {
    // v1.37+: gen_ai.client.inference.operation.details may carry the inference attributes.
    const span = normalizeOne(
      { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' },
      {
        events: [
          eventAt('gen_ai.client.inference.operation.details', 5, {
            'gen_ai.request.model': 'gpt-4.1',
            'gen_ai.usage.input_tokens': 70,
            'gen_ai.usage.output_tokens': 8,
          }),
        ],
      },
    );
    expect(span.requestModel).toBe('gpt-4.1');
    expect(span.usage.inputTokens).toBe(70);
    expect(span.usage.outputTokens).toBe(8);
  });

  it('maps fetch_response to other', () => {
    // semantic-conventions-genai 0.1.0: fetch_response must not report usage.
    const span = normalizeOne({
      'gen_ai.operation.name': 'fetch_response',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.usage.input_tokens': 70,
    });
    expect(span.operation).toBe('other');
    expect(span.usage.inputTokens).toBe(0);
  });

  it('reads the AI SDK 7 GenAI integration', () => {
    // vercel/ai @ai-sdk/otel open-telemetry.ts: chat span with time_to_first_chunk as an attribute.
    const span = normalizeOne({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.client.operation.time_to_first_chunk': 0.125,
    });
    expect(span.timeToFirstTokenMs).toBe(125);
  });

  it('types tool spans without an operation name', () => {
    // Koog 0.3.0 and Pydantic AI name the tool but set no gen_ai.operation.name.
    const span = normalizeOne({ 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.call.id': 'c1' });
    expect(span.operation).toBe('execute_tool');
    expect(span.spanType).toBe('tool');
  });
});

describe('failed calls without usage', () => {
  it('a legacy CLIENT span with a model and a provider counts as a failed call', () => {
    // OpenLLMetry and early OTel instrumentations set no operation name and no
    // usage when the provider answered with an error.
    const span = normalizeOne(
      {
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'error.type': 'RateLimitError',
      },
      { kind: 3, statusCode: 2, statusMessage: 'Error code: 429' },
    );
    expect(span.operation).toBe('chat');
    expect(span.isLlmCall).toBe(true);
    expect(span.errorType).toBe('rate_limit');
  });

  it('an INTERNAL span with a model but no usage is not a call', () => {
    const span = normalizeOne({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' });
    expect(span.isLlmCall).toBe(false);
  });
});
