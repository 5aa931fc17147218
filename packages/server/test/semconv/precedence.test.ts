import { describe, expect, it } from 'vitest';
import { normalizeProvider } from '../../src/semconv/provider.ts';
import { normalizeOne } from './normalize-one.ts';

describe('dialect precedence', () => {
  it('names the primary and fills from the others', () => {
    // AI SDK provider spans carry `ai.*` and `gen_ai.*`; the AI SDK names the dialect,
    // and its missing response model comes from gen_ai.response.model.
    const span = normalizeOne({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'openai.chat',
      'ai.model.id': 'gpt-4o',
      'gen_ai.system': 'openai.chat',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 4,
    });
    expect(span.dialect).toBe('vercel_ai');
    expect(span.responseModel).toBe('gpt-4o-2024-08-06');
    expect(span.usage.inputTokens).toBe(11);
    expect(span.provider).toBe('openai');
  });

  it('lets OpenInference win over GenAI attributes', () => {
    const span = normalizeOne({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'google',
      'llm.model_name': 'gemini-2.0-flash',
      'gen_ai.system': 'gcp.vertex.agent',
      'gen_ai.usage.input_tokens': 28,
      'llm.token_count.prompt': 30,
    });
    expect(span.dialect).toBe('openinference');
    expect(span.provider).toBe('gcp.gen_ai');
    expect(span.usage.inputTokens).toBe(30);
  });

  it('reads no dialect from plain spans', () => {
    const span = normalizeOne({ 'http.request.method': 'POST', 'http.response.status_code': 200 });
    expect(span.dialect).toBe('none');
    expect(span.operation).toBe('other');
    expect(span.errorType).toBeNull();
  });
});

describe('provider normalization', () => {
  it.each([
    ['OpenAI', 'openai'],
    ['Anthropic', 'anthropic'],
    ['AWS', 'aws.bedrock'],
    ['Azure', 'azure.ai.openai'],
    ['az.ai.inference', 'azure.ai.inference'],
    ['google-gla', 'gcp.gemini'],
    ['gemini', 'gcp.gemini'],
    ['vertexai', 'gcp.vertex_ai'],
    ['MistralAI', 'mistral_ai'],
    ['ibm.watsonx.ai', 'ibm.watsonx.ai'],
    ['moonshot', 'moonshot_ai'],
    ['ollama', 'ollama'],
  ])('maps %s to %s', (raw, expected) => {
    expect(normalizeProvider(raw)).toBe(expected);
  });

  it('returns null for an empty value', () => {
    expect(normalizeProvider('  ')).toBeNull();
  });
});
