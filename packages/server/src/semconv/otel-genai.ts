import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readCount, readNumber, readString } from './attributes.ts';
import type { Operation, TokenUsage } from './canonical-span.ts';

/** The GenAI fields one dialect reader extracts from a span's attributes. */
export interface GenAiFields {
  dialect: string;
  operation: Operation | null;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  usage: TokenUsage;
  timeToFirstTokenMs: number | null;
  errorType: string | null;
}

const OPERATIONS: Readonly<Record<string, Operation>> = {
  chat: 'chat',
  text_completion: 'text_completion',
  completion: 'text_completion',
  generate_content: 'generate_content',
  embeddings: 'embeddings',
  embedding: 'embeddings',
  rerank: 'rerank',
  retrieval: 'retrieval',
  execute_tool: 'execute_tool',
  invoke_agent: 'invoke_agent',
  create_agent: 'create_agent',
  invoke_workflow: 'invoke_workflow',
};

/** Maps a `gen_ai.operation.name` value; unknown values become `other`. */
export function operationFromName(name: string | null): Operation | null {
  if (name === null) return null;
  return OPERATIONS[name.toLowerCase()] ?? 'other';
}

/** Provider values renamed across convention versions, mapped to the v1.37+ vocabulary. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  'az.ai.openai': 'azure.ai.openai',
  'az.ai.inference': 'azure.ai.inference',
  azure_openai: 'azure.ai.openai',
  vertex_ai: 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  google: 'gcp.gen_ai',
  xai: 'x_ai',
  bedrock: 'aws.bedrock',
  mistralai: 'mistral_ai',
  mistral: 'mistral_ai',
  watsonx: 'ibm.watsonx.ai',
};

export function normalizeProvider(raw: string | null): string | null {
  if (raw === null) return null;
  const lower = raw.toLowerCase();
  return PROVIDER_ALIASES[lower] ?? lower;
}

/** True when the span uses any attribute of the OTel GenAI conventions, old or new. */
export function isOtelGenAi(attributes: Attributes): boolean {
  return (
    'gen_ai.operation.name' in attributes ||
    'gen_ai.provider.name' in attributes ||
    'gen_ai.system' in attributes ||
    'gen_ai.request.model' in attributes ||
    'gen_ai.response.model' in attributes ||
    'gen_ai.usage.input_tokens' in attributes ||
    'gen_ai.usage.prompt_tokens' in attributes
  );
}

/**
 * Reads a span written with the OTel GenAI conventions, v1.26 to v1.41 and the
 * later renames: `gen_ai.system` became `gen_ai.provider.name` (v1.37),
 * `prompt_tokens`/`completion_tokens` became `input_tokens`/`output_tokens` (v1.28),
 * and `cache_creation` became `cache_write`.
 */
export function readOtelGenAi(attributes: Attributes): GenAiFields {
  const legacy =
    !('gen_ai.provider.name' in attributes) &&
    ('gen_ai.system' in attributes || 'gen_ai.usage.prompt_tokens' in attributes);
  const ttftSeconds = readNumber(attributes, ['gen_ai.response.time_to_first_chunk']);
  return {
    dialect: legacy ? 'otel_genai_legacy' : 'otel_genai',
    operation: operationFromName(readString(attributes, ['gen_ai.operation.name'])),
    provider: normalizeProvider(readString(attributes, ['gen_ai.provider.name', 'gen_ai.system'])),
    requestModel: readString(attributes, ['gen_ai.request.model']),
    responseModel: readString(attributes, ['gen_ai.response.model']),
    usage: readUsage(attributes),
    timeToFirstTokenMs: ttftSeconds === null ? null : ttftSeconds * 1000,
    errorType: readString(attributes, ['error.type']),
  };
}

function readUsage(attributes: Attributes): TokenUsage {
  return {
    inputTokens:
      readCount(attributes, ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens']) ?? 0,
    outputTokens:
      readCount(attributes, ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens']) ?? 0,
    cachedInputTokens: readCount(attributes, ['gen_ai.usage.cache_read.input_tokens']) ?? 0,
    cacheWriteTokens:
      readCount(attributes, [
        'gen_ai.usage.cache_write.input_tokens',
        'gen_ai.usage.cache_creation.input_tokens',
      ]) ?? 0,
    reasoningTokens: readCount(attributes, ['gen_ai.usage.reasoning.output_tokens']) ?? 0,
  };
}
