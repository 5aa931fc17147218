import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readCount } from '../semconv/attributes.ts';

/**
 * Attributes that carry Anthropic's `usage.cache_creation.ephemeral_1h_input_tokens`,
 * the part of the cache writes made with the 1-hour TTL. `gen_ai.usage.cache_write`
 * does not say which TTL its tokens used, so without one of these every cache
 * write is priced as a 5-minute write, Anthropic's default TTL.
 */
export const CACHE_WRITE_1H_KEYS: readonly string[] = [
  'gen_ai.usage.cache_creation.ephemeral_1h_input_tokens',
  'gen_ai.usage.cache_write_1h.input_tokens',
  'anthropic.usage.cache_creation.ephemeral_1h_input_tokens',
  'llm.usage.cache_creation.ephemeral_1h_input_tokens',
  'cache_creation.ephemeral_1h_input_tokens',
];

/** Returns the 1-hour cache write tokens of a call, at most its total cache writes. */
export function readCacheWrite1hTokens(attributes: Attributes, cacheWriteTokens: number): number {
  // The attributes hold counts of zero or more, so without cache writes the cap decides.
  if (cacheWriteTokens <= 0) return cacheWriteTokens;
  const tokens = readCount(attributes, CACHE_WRITE_1H_KEYS) ?? 0;
  return Math.min(tokens, cacheWriteTokens);
}
