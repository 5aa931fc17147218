import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readCount } from './attributes.ts';
import type { ReportedUsage } from './dialect-fields.ts';

/** Attribute keys of each token count, highest priority first. */
export interface UsageKeys {
  inputTokens: readonly string[];
  outputTokens: readonly string[];
  cachedInputTokens: readonly string[];
  cacheWriteTokens: readonly string[];
  reasoningTokens: readonly string[];
  totalTokens: readonly string[];
}

/**
 * OTel GenAI v1.26 to v1.41 and GenAI conventions 0.1.0. Pydantic AI adds provider
 * details under `gen_ai.usage.details.*`; its Gemini output already includes thoughts.
 */
export const OTEL_GENAI_USAGE_KEYS: UsageKeys = {
  inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
  outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
  cachedInputTokens: ['gen_ai.usage.cache_read.input_tokens'],
  cacheWriteTokens: [
    'gen_ai.usage.cache_write.input_tokens',
    'gen_ai.usage.cache_creation.input_tokens',
  ],
  reasoningTokens: [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.details.reasoning_tokens',
    'gen_ai.usage.details.thoughts_tokens',
  ],
  totalTokens: ['gen_ai.usage.total_tokens'],
};

/** OpenLLMetry generations A, B and C (traceloop-sdk up to 0.62). */
export const OPENLLMETRY_USAGE_KEYS: UsageKeys = {
  inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
  outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
  cachedInputTokens: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
  ],
  cacheWriteTokens: [
    'gen_ai.usage.cache_creation.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
  ],
  reasoningTokens: ['gen_ai.usage.reasoning_tokens', 'llm.usage.reasoning_tokens'],
  totalTokens: ['gen_ai.usage.total_tokens', 'llm.usage.total_tokens'],
};

/** OpenInference semantic conventions 0.1.x. */
export const OPENINFERENCE_USAGE_KEYS: UsageKeys = {
  inputTokens: ['llm.token_count.prompt'],
  outputTokens: ['llm.token_count.completion'],
  cachedInputTokens: [
    'llm.token_count.prompt_details.cache_read',
    'llm.token_count.prompt_details.cache_input',
  ],
  cacheWriteTokens: ['llm.token_count.prompt_details.cache_write'],
  reasoningTokens: ['llm.token_count.completion_details.reasoning'],
  totalTokens: ['llm.token_count.total'],
};

/** Vercel AI SDK v7 details first, then v5/v6 names, then v3/v4 names (`ai.usage.tokens` is embeddings). */
export const VERCEL_AI_USAGE_KEYS: UsageKeys = {
  inputTokens: ['ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens'],
  outputTokens: ['ai.usage.outputTokens', 'ai.usage.completionTokens'],
  cachedInputTokens: ['ai.usage.inputTokenDetails.cacheReadTokens', 'ai.usage.cachedInputTokens'],
  cacheWriteTokens: ['ai.usage.inputTokenDetails.cacheWriteTokens'],
  reasoningTokens: ['ai.usage.outputTokenDetails.reasoningTokens', 'ai.usage.reasoningTokens'],
  totalTokens: ['ai.usage.totalTokens'],
};

const COUNT_NAMES = [
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'totalTokens',
] as const;

/** Fills each count of `usage` that is still null from the first key present. */
export function fillUsage(attributes: Attributes, keys: UsageKeys, usage: ReportedUsage): void {
  for (const name of COUNT_NAMES) {
    usage[name] ??= readCount(attributes, keys[name]);
  }
}

const DIALECT_USAGE_KEYS: readonly UsageKeys[] = [
  OTEL_GENAI_USAGE_KEYS,
  OPENLLMETRY_USAGE_KEYS,
  OPENINFERENCE_USAGE_KEYS,
  VERCEL_AI_USAGE_KEYS,
];

/** Every flat usage attribute key the readers consume. */
export const USAGE_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(
  DIALECT_USAGE_KEYS.flatMap((keys) => COUNT_NAMES.flatMap((name) => keys[name])),
);

/** Returns the flat attribute keys of one count in every dialect, such as every input token key. */
export function usageKeysOf(name: keyof UsageKeys): readonly string[] {
  return [...new Set(DIALECT_USAGE_KEYS.flatMap((keys) => keys[name]))];
}
