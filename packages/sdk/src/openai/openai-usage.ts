import { countOf, type TokenUsage } from '../telemetry/usage.ts';

interface OpenAiUsageShape {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
  prompt_tokens_details?: { cached_tokens?: unknown } | null;
  input_tokens_details?: { cached_tokens?: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  output_tokens_details?: { reasoning_tokens?: unknown } | null;
}

/**
 * Converts OpenAI usage (Chat Completions, Responses or Embeddings). OpenAI's
 * input already includes cached tokens and its output includes reasoning, as
 * the OTel attributes expect; OpenAI reports no cache writes.
 */
export function openAiUsage(raw: unknown): TokenUsage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const usage = raw as OpenAiUsageShape;
  return {
    inputTokens: countOf(usage.prompt_tokens ?? usage.input_tokens),
    outputTokens: countOf(usage.completion_tokens ?? usage.output_tokens),
    cacheReadTokens: countOf(
      (usage.prompt_tokens_details ?? usage.input_tokens_details)?.cached_tokens,
    ),
    reasoningTokens: countOf(
      (usage.completion_tokens_details ?? usage.output_tokens_details)?.reasoning_tokens,
    ),
  };
}
