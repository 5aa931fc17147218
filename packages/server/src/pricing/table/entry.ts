import type { LongContextTier, PriceEntry, PricePeriod } from '../../enrich/price-table.ts';

/** Optional prices of a period, in USD per million tokens. */
export interface ExtraPrices {
  cacheRead?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  reasoning?: number;
  longContext?: LongContextTier;
}

/** Builds a period; `extra` holds the cache, reasoning and long-context prices the provider lists. */
export function period(
  effectiveFrom: string,
  inputUsdPerMTok: number,
  outputUsdPerMTok: number,
  extra: ExtraPrices = {},
): PricePeriod {
  const built: PricePeriod = { effectiveFrom, inputUsdPerMTok, outputUsdPerMTok };
  if (extra.cacheRead !== undefined) built.cacheReadUsdPerMTok = extra.cacheRead;
  if (extra.cacheWrite !== undefined) built.cacheWriteUsdPerMTok = extra.cacheWrite;
  if (extra.cacheWrite1h !== undefined) built.cacheWrite1hUsdPerMTok = extra.cacheWrite1h;
  if (extra.reasoning !== undefined) built.reasoningUsdPerMTok = extra.reasoning;
  if (extra.longContext !== undefined) built.longContext = extra.longContext;
  return built;
}

/** Anthropic's cache multipliers: reads 0.1x, 5-minute writes 1.25x, 1-hour writes 2x the input price. */
export function anthropicCache(inputUsdPerMTok: number): ExtraPrices {
  return {
    cacheRead: round(inputUsdPerMTok * 0.1),
    cacheWrite: round(inputUsdPerMTok * 1.25),
    cacheWrite1h: round(inputUsdPerMTok * 2),
  };
}

/** Rounds away binary noise such as 0.30000000000000004 from derived prices. */
function round(usdPerMTok: number): number {
  return Math.round(usdPerMTok * 1e6) / 1e6;
}

export function entry(provider: string, model: string, ...periods: PricePeriod[]): PriceEntry {
  return { id: `${provider}/${model}`, provider, model, periods };
}

/** Copies entries under another provider that bills the same list prices. */
export function cloneForHost(entries: readonly PriceEntry[], provider: string): PriceEntry[] {
  return entries
    .filter((source) => !source.model.startsWith('ft:'))
    .map((source) => entry(provider, source.model, ...source.periods));
}
