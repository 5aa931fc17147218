import type { Attributes } from '@opentelemetry/api';
import type { ChatParams, ChatResult, EmbeddingsResult } from './llm-gateway.ts';
import type { Dialect } from './request-scope.ts';

/**
 * Request attributes of a chat span. The legacy dialect is the GenAI
 * conventions before 1.28: `gen_ai.system` and no `gen_ai.operation.name`.
 */
export function chatRequestAttributes(
  dialect: Dialect,
  provider: string,
  params: ChatParams,
): Attributes {
  const attributes: Attributes =
    dialect === 'current'
      ? { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': provider }
      : { 'gen_ai.system': provider };
  attributes['gen_ai.request.model'] = params.model;
  attributes['gen_ai.request.max_tokens'] = params.maxTokens;
  if (!params.model.startsWith('o')) attributes['gen_ai.request.temperature'] = params.temperature;
  return attributes;
}

/** Response attributes of a chat span; the legacy dialect names usage `prompt_tokens` and `completion_tokens`. */
export function chatResponseAttributes(
  dialect: Dialect,
  result: ChatResult,
  timeToFirstChunkMs: number | null,
): Attributes {
  const attributes: Attributes = {
    'gen_ai.response.model': result.responseModel,
    'gen_ai.response.id': result.id,
    'gen_ai.response.finish_reasons': result.finishReasons,
  };
  const usage = result.usage;
  if (usage !== null && dialect === 'legacy') {
    attributes['gen_ai.usage.prompt_tokens'] = usage.inputTokens;
    attributes['gen_ai.usage.completion_tokens'] = usage.outputTokens;
  }
  if (usage !== null && dialect === 'current') {
    attributes['gen_ai.usage.input_tokens'] = usage.inputTokens;
    attributes['gen_ai.usage.output_tokens'] = usage.outputTokens;
    if (usage.cachedInputTokens !== null) {
      attributes['gen_ai.usage.cache_read.input_tokens'] = usage.cachedInputTokens;
    }
    if (usage.reasoningTokens !== null) {
      attributes['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningTokens;
    }
  }
  if (timeToFirstChunkMs !== null) {
    attributes['gen_ai.response.time_to_first_chunk'] = timeToFirstChunkMs / 1000;
  }
  return attributes;
}

export function embeddingsAttributes(result: EmbeddingsResult): Attributes {
  return {
    'gen_ai.response.model': result.responseModel,
    'gen_ai.usage.input_tokens': result.inputTokens,
    'gen_ai.embeddings.dimension.count': result.vectors[0]?.length ?? 0,
  };
}
