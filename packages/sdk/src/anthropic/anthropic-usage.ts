import { countOf, type TokenUsage } from '../telemetry/usage.ts';

interface AnthropicUsageShape {
  input_tokens?: unknown;
  output_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
  cache_read_input_tokens?: unknown;
}

/**
 * Converts Anthropic usage to the OTel meaning. Anthropic's `input_tokens`
 * excludes cache reads and writes, so the OTel input is the sum of the three.
 */
export function anthropicUsage(raw: unknown): TokenUsage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const usage = raw as AnthropicUsageShape;
  const uncached = countOf(usage.input_tokens);
  const cacheRead = countOf(usage.cache_read_input_tokens);
  const cacheWrite = countOf(usage.cache_creation_input_tokens);
  return {
    inputTokens:
      uncached === undefined ? undefined : uncached + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: countOf(usage.output_tokens),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
  };
}

/** Overlays the usage of a `message_delta` event, whose counts are cumulative, on that of `message_start`. */
export function mergeAnthropicUsage(start: unknown, delta: unknown): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(start as Record<string, unknown>) };
  for (const [key, value] of Object.entries((delta as Record<string, unknown>) ?? {})) {
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
