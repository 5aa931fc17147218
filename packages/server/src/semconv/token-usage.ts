import type { TokenUsage } from './canonical-span.ts';
import type { DialectFields } from './dialect-fields.ts';

const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

export function zeroUsage(): TokenUsage {
  return { ...ZERO_USAGE };
}

/**
 * Turns the reported counts into the canonical meaning: input includes cache reads
 * and writes, output includes reasoning. The reader's flags mark emitters known
 * to pass exclusive numbers. Without a flag, the counts themselves decide: cache
 * subsets larger than the input, or a total equal to input, output and cache
 * together, mean the input excluded the cache.
 */
export function toCanonicalUsage(fields: DialectFields): TokenUsage {
  const reported = fields.usage;
  const usage: TokenUsage = {
    inputTokens: reported.inputTokens ?? 0,
    outputTokens: reported.outputTokens ?? 0,
    cachedInputTokens: reported.cachedInputTokens ?? 0,
    cacheWriteTokens: reported.cacheWriteTokens ?? 0,
    reasoningTokens: reported.reasoningTokens ?? 0,
  };
  const totalTokens = reported.totalTokens;

  const cacheTokens = usage.cachedInputTokens + usage.cacheWriteTokens;
  if (cacheTokens > 0 && (fields.inputExcludesCache || inputLooksExclusive(usage, totalTokens))) {
    usage.inputTokens += cacheTokens;
  }
  if (
    fields.outputExcludesReasoning ||
    usage.reasoningTokens > usage.outputTokens ||
    outputLooksExclusive(usage, totalTokens)
  ) {
    usage.outputTokens += usage.reasoningTokens;
  }
  addHiddenThoughts(usage, totalTokens, fields);
  return usage;
}

function inputLooksExclusive(usage: TokenUsage, totalTokens: number | null): boolean {
  const cacheTokens = usage.cachedInputTokens + usage.cacheWriteTokens;
  if (cacheTokens > usage.inputTokens) return true;
  const exclusiveSum = usage.inputTokens + usage.outputTokens + cacheTokens;
  return totalTokens !== null && totalTokens === exclusiveSum;
}

/**
 * Returns true when the total equals input, output and reasoning together, so the output
 * left the reasoning out, as in Gemini's candidate count that the AI SDK's Google provider
 * reports. `usage.inputTokens` already includes the cache here.
 */
function outputLooksExclusive(usage: TokenUsage, totalTokens: number | null): boolean {
  if (totalTokens === null || usage.reasoningTokens === 0) return false;
  return totalTokens === usage.inputTokens + usage.outputTokens + usage.reasoningTokens;
}

/**
 * Gemini's `candidatesTokenCount` excludes `thoughtsTokenCount`, and some
 * instrumentations (OpenInference vertexai 0.1.x) pass it through without the
 * thoughts while the total includes them. For Gemini models without a reasoning
 * count, the part of the total beyond input and output is the thoughts.
 */
function addHiddenThoughts(
  usage: TokenUsage,
  totalTokens: number | null,
  fields: DialectFields,
): void {
  if (totalTokens === null || usage.reasoningTokens > 0 || !isGemini(fields)) return;
  const hiddenTokens = totalTokens - usage.inputTokens - usage.outputTokens;
  if (hiddenTokens <= 0) return;
  usage.reasoningTokens = hiddenTokens;
  usage.outputTokens += hiddenTokens;
}

function isGemini(fields: DialectFields): boolean {
  const model = fields.responseModel ?? fields.requestModel ?? '';
  return model.includes('gemini');
}
