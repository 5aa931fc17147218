import type { PriceEntry } from '../../enrich/price-table.ts';
import { anthropicCache, entry, period } from './entry.ts';

/** Sonnet 4 and 4.5 with the 1M-token context: every token of a call above 200k input tokens costs more. */
const SONNET_4_LONG_CONTEXT = {
  aboveInputTokens: 200_000,
  inputUsdPerMTok: 6,
  outputUsdPerMTok: 22.5,
  cacheReadUsdPerMTok: 0.6,
  cacheWriteUsdPerMTok: 7.5,
  cacheWrite1hUsdPerMTok: 12,
};

/** Haiku 5.5 prices every token of a call at a higher rate above 100k input tokens. */
const HAIKU_5_5_LONG_CONTEXT = {
  aboveInputTokens: 100_000,
  inputUsdPerMTok: 0.5,
  outputUsdPerMTok: 2.5,
  cacheReadUsdPerMTok: 0.05,
  cacheWriteUsdPerMTok: 0.625,
  cacheWrite1hUsdPerMTok: 1,
};

/**
 * Anthropic list prices, USD per million tokens, with 5-minute and 1-hour cache
 * writes. NOTE: the effective dates of the 2026 models are the months the price
 * page first listed them, not exact release days.
 */
export const ANTHROPIC_PRICES: readonly PriceEntry[] = [
  // Haiku 3's listed cache prices are rounded, not the exact multiples of its input price.
  entry(
    'anthropic',
    'claude-3-haiku',
    period('2024-03-13', 0.25, 1.25, { cacheRead: 0.03, cacheWrite: 0.3, cacheWrite1h: 0.5 }),
  ),
  entry('anthropic', 'claude-3-5-haiku', period('2024-11-04', 0.8, 4, anthropicCache(0.8))),
  entry('anthropic', 'claude-haiku-4-5', period('2025-10-15', 1, 5, anthropicCache(1))),
  entry(
    'anthropic',
    'claude-haiku-5-5',
    period('2026-10-07', 0.1, 0.5, { ...anthropicCache(0.1), longContext: HAIKU_5_5_LONG_CONTEXT }),
  ),
  entry('anthropic', 'claude-3-5-sonnet', period('2024-06-20', 3, 15, anthropicCache(3))),
  entry('anthropic', 'claude-3-7-sonnet', period('2025-02-24', 3, 15, anthropicCache(3))),
  entry(
    'anthropic',
    'claude-sonnet-4',
    period('2025-05-22', 3, 15, { ...anthropicCache(3), longContext: SONNET_4_LONG_CONTEXT }),
  ),
  entry(
    'anthropic',
    'claude-sonnet-4-5',
    period('2025-09-29', 3, 15, { ...anthropicCache(3), longContext: SONNET_4_LONG_CONTEXT }),
  ),
  entry('anthropic', 'claude-sonnet-4-6', period('2026-02-01', 3, 15, anthropicCache(3))),
  entry('anthropic', 'claude-sonnet-5', period('2026-06-30', 2, 10, anthropicCache(2))),
  entry(
    'anthropic',
    'claude-sonnet-5-5',
    period('2026-09-01', 2, 10, anthropicCache(2)),
    period('2026-10-07', 2, 10, { ...anthropicCache(2), cacheRead: 0.1 }),
  ),
  entry('anthropic', 'claude-3-opus', period('2024-03-04', 15, 75, anthropicCache(15))),
  entry('anthropic', 'claude-opus-4', period('2025-05-22', 15, 75, anthropicCache(15))),
  entry('anthropic', 'claude-opus-4-1', period('2025-08-05', 15, 75, anthropicCache(15))),
  entry('anthropic', 'claude-opus-4-5', period('2025-11-24', 5, 25, anthropicCache(5))),
  entry('anthropic', 'claude-opus-4-6', period('2026-02-01', 5, 25, anthropicCache(5))),
  entry('anthropic', 'claude-opus-4-7', period('2026-04-01', 5, 25, anthropicCache(5))),
  entry('anthropic', 'claude-opus-4-8', period('2026-05-01', 5, 25, anthropicCache(5))),
  entry('anthropic', 'claude-opus-5', period('2026-06-01', 5, 25, anthropicCache(5))),
  entry(
    'anthropic',
    'claude-opus-5-5',
    period('2026-09-01', 4, 20, { ...anthropicCache(4), cacheRead: 0.2 }),
  ),
  entry('anthropic', 'claude-fable-5', period('2026-07-01', 10, 50, anthropicCache(10))),
  entry(
    'anthropic',
    'claude-fable-5-1',
    period('2026-09-01', 10, 50, { ...anthropicCache(10), cacheRead: 0.25 }),
  ),
];
