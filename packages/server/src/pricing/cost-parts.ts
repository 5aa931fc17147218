import type { PricePeriod } from '../enrich/price-table.ts';
import type { AppliedPrices, TokenUsage } from '../semconv/canonical-span.ts';

const TOKENS_PER_MILLION = 1_000_000;

/** The parts of a call's cost in USD; `outputUsd` includes reasoning. */
export interface CostParts {
  totalUsd: number;
  inputUsd: number;
  outputUsd: number;
  cacheReadUsd: number;
  cacheWriteUsd: number;
}

/**
 * Picks the prices that apply to a call: the long-context tier when its input
 * (cache reads and writes included) exceeds the tier's threshold, and input
 * prices for cache reads and writes where the provider lists no cache price.
 */
export function appliedPrices(period: PricePeriod, usage: TokenUsage): AppliedPrices {
  const tier = period.longContext;
  const long = tier !== undefined && usage.inputTokens > tier.aboveInputTokens;
  const source = long ? tier : period;
  const cacheWrite = source.cacheWriteUsdPerMTok ?? source.inputUsdPerMTok;
  return {
    input: source.inputUsdPerMTok,
    output: source.outputUsdPerMTok,
    cacheRead: source.cacheReadUsdPerMTok ?? source.inputUsdPerMTok,
    cacheWrite,
    cacheWrite1h: source.cacheWrite1hUsdPerMTok ?? cacheWrite,
    reasoning: period.reasoningUsdPerMTok ?? null,
    longContextAboveInputTokens: long ? tier.aboveInputTokens : null,
  };
}

/**
 * Computes the cost of one call: uncached input (input minus cache reads and
 * writes) at the input price, cache reads at the cache-read price, 5-minute and
 * 1-hour cache writes at their prices, and output at the output price, except
 * reasoning tokens where the model prices them apart. Multiplying before dividing
 * by a million keeps the parts exact to well below a cent.
 */
export function computeCostParts(
  usage: TokenUsage,
  prices: AppliedPrices,
  cacheWrite1hTokens = 0,
): CostParts {
  const uncachedInput = Math.max(
    0,
    usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens,
  );
  const cacheWrite5mTokens = usage.cacheWriteTokens - cacheWrite1hTokens;
  const inputUsd = usd(uncachedInput, prices.input);
  const cacheReadUsd = usd(usage.cachedInputTokens, prices.cacheRead);
  const cacheWriteUsd =
    usd(cacheWrite5mTokens, prices.cacheWrite) + usd(cacheWrite1hTokens, prices.cacheWrite1h);
  const outputUsd =
    prices.reasoning === null
      ? usd(usage.outputTokens, prices.output)
      : usd(usage.outputTokens - usage.reasoningTokens, prices.output) +
        usd(usage.reasoningTokens, prices.reasoning);
  return {
    totalUsd: inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd,
    inputUsd,
    outputUsd,
    cacheReadUsd,
    cacheWriteUsd,
  };
}

function usd(tokens: number, usdPerMTok: number): number {
  return (tokens * usdPerMTok) / TOKENS_PER_MILLION;
}
