import type { PriceEntry } from '../../enrich/price-table.ts';
import { entry, period } from './entry.ts';

/**
 * Gemini API list prices (paid tier), USD per million tokens. Prompts above
 * 128k (Gemini 1.5) or 200k (2.5 Pro, 3 Pro) input tokens are priced at the
 * long-context tier. Cache prices are the context-cache read prices; cache
 * storage per hour is not a token price and is not included.
 */
export const GOOGLE_PRICES: readonly PriceEntry[] = [
  entry(
    'gcp.gemini',
    'gemini-1.5-flash',
    period('2024-08-12', 0.075, 0.3, {
      cacheRead: 0.01875,
      longContext: {
        aboveInputTokens: 128_000,
        inputUsdPerMTok: 0.15,
        outputUsdPerMTok: 0.6,
        cacheReadUsdPerMTok: 0.0375,
      },
    }),
  ),
  entry(
    'gcp.gemini',
    'gemini-1.5-pro',
    period('2024-10-01', 1.25, 5, {
      cacheRead: 0.3125,
      longContext: {
        aboveInputTokens: 128_000,
        inputUsdPerMTok: 2.5,
        outputUsdPerMTok: 10,
        cacheReadUsdPerMTok: 0.625,
      },
    }),
  ),
  entry('gcp.gemini', 'gemini-2.0-flash', period('2025-02-05', 0.1, 0.4, { cacheRead: 0.025 })),
  entry('gcp.gemini', 'gemini-2.0-flash-lite', period('2025-02-05', 0.075, 0.3)),
  entry(
    'gcp.gemini',
    'gemini-2.5-flash-preview-04-17',
    period('2025-04-17', 0.15, 0.6, { reasoning: 3.5 }),
  ),
  entry('gcp.gemini', 'gemini-2.5-flash', period('2025-06-17', 0.3, 2.5, { cacheRead: 0.075 })),
  entry(
    'gcp.gemini',
    'gemini-2.5-flash-lite',
    period('2025-07-22', 0.1, 0.4, { cacheRead: 0.025 }),
  ),
  entry(
    'gcp.gemini',
    'gemini-2.5-pro',
    period('2025-06-17', 1.25, 10, {
      cacheRead: 0.31,
      longContext: {
        aboveInputTokens: 200_000,
        inputUsdPerMTok: 2.5,
        outputUsdPerMTok: 15,
        cacheReadUsdPerMTok: 0.625,
      },
    }),
  ),
  entry(
    'gcp.gemini',
    'gemini-3-pro',
    period('2025-11-18', 2, 12, {
      cacheRead: 0.2,
      longContext: {
        aboveInputTokens: 200_000,
        inputUsdPerMTok: 4,
        outputUsdPerMTok: 18,
        cacheReadUsdPerMTok: 0.4,
      },
    }),
  ),
  entry('gcp.gemini', 'gemini-embedding-001', period('2025-07-14', 0.15, 0)),
];
