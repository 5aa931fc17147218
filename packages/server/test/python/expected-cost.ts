/** OpenAI list prices in USD per million tokens, as in the shipped price table since 2024-10-01. */
const PRICES_USD_PER_MTOK = {
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
} as const;

export type PricedModel = keyof typeof PRICES_USD_PER_MTOK;

/** Token counts of one or more calls; `inputTokens` includes `cachedInputTokens`. */
export interface CallTokens {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** Computes the cost Foghorn should report, pricing cached input at the cache-read price. */
export function expectedCostUsd(model: PricedModel, tokens: CallTokens): number {
  const prices = PRICES_USD_PER_MTOK[model];
  const uncachedTokens = tokens.inputTokens - tokens.cachedInputTokens;
  return (
    (uncachedTokens * prices.input +
      tokens.cachedInputTokens * prices.cachedInput +
      tokens.outputTokens * prices.output) /
    1_000_000
  );
}
