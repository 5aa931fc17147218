import { describe, expect, it } from 'vitest';
import { eventAt, normalizeOne } from './normalize-one.ts';

/**
 * Hand-built AI SDK `ai.*` spans for the versions and providers the recordings do
 * not cover. Names follow vercel/ai `packages/ai/core/generate-text` (v3, v4),
 * `packages/ai/src/generate-text` (v5, v6) and the Anthropic provider's usage
 * conversion of each major version.
 */
describe('Vercel AI SDK', () => {
  it('adds Anthropic cache to AI SDK 4 prompt tokens', () => {
    // ai 4.x: raw Anthropic input in promptTokens; cache counts only in providerMetadata.
    const span = normalizeOne({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'anthropic.messages',
      'ai.model.id': 'claude-3-5-sonnet-20241022',
      'ai.usage.promptTokens': 40,
      'ai.usage.completionTokens': 25,
      'ai.response.providerMetadata':
        '{"anthropic":{"cacheCreationInputTokens":2000,"cacheReadInputTokens":0}}',
    });
    expect(span.provider).toBe('anthropic');
    expect(span.usage).toEqual({
      inputTokens: 2040,
      outputTokens: 25,
      cachedInputTokens: 0,
      cacheWriteTokens: 2000,
      reasoningTokens: 0,
    });
  });

  it('adds Anthropic cache to AI SDK 5 input tokens', () => {
    // ai 5.0: inputTokens = raw input_tokens; cachedInputTokens = cache reads; writes in metadata.
    const span = normalizeOne({
      'ai.operationId': 'ai.streamText.doStream',
      'ai.model.provider': 'anthropic.messages',
      'ai.model.id': 'claude-sonnet-4-5',
      'ai.usage.inputTokens': 300,
      'ai.usage.outputTokens': 90,
      'ai.usage.totalTokens': 390,
      'ai.usage.cachedInputTokens': 200,
      'ai.response.providerMetadata':
        '{"anthropic":{"usage":{"input_tokens":300,"output_tokens":90,"cache_creation_input_tokens":150,"cache_read_input_tokens":200},"cacheCreationInputTokens":150}}',
    });
    expect(span.usage.inputTokens).toBe(650);
    expect(span.usage.cachedInputTokens).toBe(200);
    expect(span.usage.cacheWriteTokens).toBe(150);
  });

  it('adds Gemini thoughts to AI SDK 5 output', () => {
    // ai 5.0 with @ai-sdk/google: outputTokens = candidatesTokenCount, which leaves out the
    // thoughts, and totalTokens = prompt + candidates + thoughts.
    const span = normalizeOne({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'google.generative-ai',
      'ai.model.id': 'gemini-2.5-flash',
      'ai.usage.inputTokens': 1000,
      'ai.usage.outputTokens': 600,
      'ai.usage.reasoningTokens': 150,
      'ai.usage.totalTokens': 1750,
    });
    expect(span.usage.inputTokens).toBe(1000);
    expect(span.usage.outputTokens).toBe(750);
    expect(span.usage.reasoningTokens).toBe(150);
  });

  it('keeps reasoning inside OpenAI output', () => {
    // OpenAI's completion count includes reasoning, so the total is input plus output.
    const span = normalizeOne({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'openai.responses',
      'ai.model.id': 'o4-mini',
      'ai.usage.inputTokens': 1000,
      'ai.usage.outputTokens': 600,
      'ai.usage.reasoningTokens': 150,
      'ai.usage.totalTokens': 1600,
    });
    expect(span.usage.outputTokens).toBe(600);
    expect(span.usage.reasoningTokens).toBe(150);
  });

  it('keeps AI SDK 6 inclusive Anthropic input', () => {
    // ai 6.0: inputTokens.total includes cache reads and writes; metadata keeps the raw 300.
    const span = normalizeOne({
      'ai.operationId': 'ai.streamText.doStream',
      'ai.model.provider': 'anthropic.messages',
      'ai.model.id': 'claude-sonnet-4-5',
      'ai.usage.inputTokens': 650,
      'ai.usage.outputTokens': 90,
      'ai.usage.cachedInputTokens': 200,
      'ai.response.providerMetadata':
        '{"anthropic":{"usage":{"input_tokens":300,"cache_creation_input_tokens":150,"cache_read_input_tokens":200}}}',
    });
    expect(span.usage.inputTokens).toBe(650);
    expect(span.usage.cacheWriteTokens).toBe(150);
  });

  it('reads AI SDK 7 token details', () => {
    // ai 7.x legacy telemetry: ai.usage.inputTokenDetails.* and outputTokenDetails.*.
    const span = normalizeOne({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'google.generative-ai',
      'ai.model.id': 'gemini-2.5-flash',
      'ai.usage.inputTokens': 1200,
      'ai.usage.inputTokenDetails.noCacheTokens': 200,
      'ai.usage.inputTokenDetails.cacheReadTokens': 1000,
      'ai.usage.inputTokenDetails.cacheWriteTokens': 0,
      'ai.usage.outputTokens': 500,
      'ai.usage.outputTokenDetails.textTokens': 120,
      'ai.usage.outputTokenDetails.reasoningTokens': 380,
    });
    expect(span.provider).toBe('gcp.gemini');
    expect(span.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 500,
      cachedInputTokens: 1000,
      cacheWriteTokens: 0,
      reasoningTokens: 380,
    });
  });

  it.each([
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['azure.chat', 'azure.ai.openai'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['google.vertex.chat', 'gcp.vertex_ai'],
    ['vertex.anthropic.messages', 'gcp.vertex_ai'],
    ['mistral.chat', 'mistral_ai'],
    ['xai.chat', 'x_ai'],
    ['groq.chat', 'groq'],
  ])('maps provider %s to %s', (raw, provider) => {
    const span = normalizeOne({ 'ai.operationId': 'ai.generateText', 'ai.model.provider': raw });
    expect(span.provider).toBe(provider);
  });

  it('drops NaN token counts', () => {
    // ai 4.x streaming could report NaN when the provider sent no usage.
    const span = normalizeOne({
      'ai.operationId': 'ai.streamText.doStream',
      'ai.model.provider': 'openai.chat',
      'ai.model.id': 'gpt-4o',
      'ai.usage.promptTokens': Number.NaN,
      'ai.usage.completionTokens': 'NaN',
    });
    expect(span.usage.inputTokens).toBe(0);
    expect(span.usage.outputTokens).toBe(0);
    expect(span.isLlmCall).toBe(true);
  });

  it('takes time to first token from the stream event', () => {
    // ai 3.x put msToFirstChunk only on the ai.stream.firstChunk event.
    const span = normalizeOne(
      { 'ai.operationId': 'ai.streamText.doStream', 'ai.model.id': 'gpt-4o' },
      { events: [eventAt('ai.stream.firstChunk', 0, { 'ai.stream.msToFirstChunk': 321.5 })] },
    );
    expect(span.timeToFirstTokenMs).toBe(321.5);
  });

  it('reads telemetry metadata attribution', () => {
    // experimental_telemetry: { functionId, metadata } (v3 to v6).
    const span = normalizeOne({
      'ai.operationId': 'ai.generateText',
      'ai.telemetry.functionId': 'summarize-ticket',
      'ai.telemetry.metadata.tenantId': 'acme',
      'ai.telemetry.metadata.userId': 'u-1',
      'ai.telemetry.metadata.sessionId': 's-1',
    });
    expect(span.feature).toBe('summarize-ticket');
    expect(span.tenant).toBe('acme');
    expect(span.userId).toBe('u-1');
    expect(span.sessionId).toBe('s-1');
  });

  it('reads AI SDK 7 runtime context attribution', () => {
    // ai 7.x: telemetry.includeRuntimeContext writes ai.settings.context.<key>.
    const span = normalizeOne({
      'ai.operationId': 'ai.streamText',
      'ai.settings.context.tenantId': 'globex',
      'ai.settings.context.userId': 'u-2',
    });
    expect(span.tenant).toBe('globex');
    expect(span.userId).toBe('u-2');
  });

  it('classifies a failed provider call', () => {
    // The SDK records the APICallError as an exception event and sets status ERROR.
    const span = normalizeOne(
      { 'ai.operationId': 'ai.generateText.doGenerate', 'ai.model.id': 'gpt-4o' },
      {
        statusCode: 2,
        statusMessage: 'Too Many Requests',
        events: [
          eventAt('exception', 100, {
            'exception.type': 'AI_APICallError',
            'exception.message': 'Too Many Requests',
          }),
        ],
      },
    );
    expect(span.errorType).toBe('rate_limit');
  });
});
