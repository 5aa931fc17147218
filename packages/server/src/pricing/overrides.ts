import { z } from 'zod';
import type { PricePeriod } from '../enrich/price-table.ts';

const usdPerMTok = z
  .number()
  .finite()
  .nonnegative('a price is a non-negative number of USD per million tokens');

/** One price override as written in `prices.yaml` and sent to the API; prices in USD per million tokens. */
export const priceOverrideSchema = z.strictObject({
  model: z.string().trim().min(1, 'name the model, such as gpt-4o or house-model-7b'),
  /** Limits the override to spans of this `gen_ai.provider.name`; absent means any provider. */
  provider: z.string().trim().min(1).optional(),
  /** First day the override applies (YYYY-MM-DD, UTC); absent means every day. */
  effective_from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'write the day as YYYY-MM-DD')
    .optional(),
  input: usdPerMTok,
  output: usdPerMTok,
  cache_read: usdPerMTok.optional(),
  cache_write: usdPerMTok.optional(),
  cache_write_1h: usdPerMTok.optional(),
  reasoning: usdPerMTok.optional(),
});

export type PriceOverride = z.infer<typeof priceOverrideSchema>;

/** The day used for an override without `effective_from`: before any span. */
const BEGINNING = '0000-01-01';

export function overridePeriod(override: PriceOverride): PricePeriod {
  const period: PricePeriod = {
    effectiveFrom: override.effective_from ?? BEGINNING,
    inputUsdPerMTok: override.input,
    outputUsdPerMTok: override.output,
  };
  if (override.cache_read !== undefined) period.cacheReadUsdPerMTok = override.cache_read;
  if (override.cache_write !== undefined) period.cacheWriteUsdPerMTok = override.cache_write;
  if (override.cache_write_1h !== undefined)
    period.cacheWrite1hUsdPerMTok = override.cache_write_1h;
  if (override.reasoning !== undefined) period.reasoningUsdPerMTok = override.reasoning;
  return period;
}

/** The id shown as `priceModel` for spans priced by an override. */
export function overrideId(override: Pick<PriceOverride, 'model' | 'provider'>): string {
  const model = override.model.toLowerCase();
  return override.provider === undefined
    ? `override/${model}`
    : `override/${override.provider}/${model}`;
}
