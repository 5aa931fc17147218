/**
 * The shipped price table, in USD per million tokens. Each model has one or more
 * periods with the date they took effect; a call is priced with the period in
 * force at its start time. Sources: the providers' public price pages as of the
 * table version below. A missing cache price means the provider does not offer
 * that kind of caching, so those tokens are priced as plain input.
 */

export interface PricePeriod {
  /** First day the prices apply, as YYYY-MM-DD in UTC. */
  effectiveFrom: string;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  cacheReadUsdPerMTok?: number;
  /** Price of a 5-minute cache write, or the only cache write price. */
  cacheWriteUsdPerMTok?: number;
  /** Price of a 1-hour cache write, where the provider prices it apart. */
  cacheWrite1hUsdPerMTok?: number;
  /** Price of reasoning tokens, only where the provider prices them apart from output. */
  reasoningUsdPerMTok?: number;
}

export interface PriceEntry {
  /** `provider/model`, the key shown to users as the resolved price-table entry. */
  id: string;
  provider: string;
  model: string;
  periods: PricePeriod[];
}

export const PRICE_TABLE_VERSION = '2026-12-01';

type Row = [provider: string, model: string, ...periods: PricePeriod[]];

function p(
  effectiveFrom: string,
  input: number,
  output: number,
  cacheRead?: number,
  cacheWrite?: number,
  cacheWrite1h?: number,
): PricePeriod {
  const period: PricePeriod = { effectiveFrom, inputUsdPerMTok: input, outputUsdPerMTok: output };
  if (cacheRead !== undefined) period.cacheReadUsdPerMTok = cacheRead;
  if (cacheWrite !== undefined) period.cacheWriteUsdPerMTok = cacheWrite;
  if (cacheWrite1h !== undefined) period.cacheWrite1hUsdPerMTok = cacheWrite1h;
  return period;
}

const ROWS: readonly Row[] = [
  ['openai', 'gpt-4o', p('2024-05-13', 5, 15), p('2024-10-01', 2.5, 10, 1.25)],
  ['openai', 'gpt-4o-mini', p('2024-07-18', 0.15, 0.6, 0.075)],
  ['openai', 'gpt-4.1', p('2025-04-14', 2, 8, 0.5)],
  ['openai', 'gpt-4.1-mini', p('2025-04-14', 0.4, 1.6, 0.1)],
  ['openai', 'gpt-4.1-nano', p('2025-04-14', 0.1, 0.4, 0.025)],
  ['openai', 'gpt-5', p('2025-08-07', 1.25, 10, 0.125)],
  ['openai', 'gpt-5-mini', p('2025-08-07', 0.25, 2, 0.025)],
  ['openai', 'gpt-5-nano', p('2025-08-07', 0.05, 0.4, 0.005)],
  ['openai', 'gpt-4-turbo', p('2024-04-09', 10, 30)],
  ['openai', 'gpt-4', p('2023-03-14', 30, 60)],
  ['openai', 'gpt-3.5-turbo', p('2024-01-25', 0.5, 1.5)],
  ['openai', 'o1', p('2024-12-17', 15, 60, 7.5)],
  ['openai', 'o1-mini', p('2024-09-12', 1.1, 4.4, 0.55)],
  ['openai', 'o3', p('2025-04-16', 10, 40, 2.5), p('2025-06-10', 2, 8, 0.5)],
  ['openai', 'o3-mini', p('2025-01-31', 1.1, 4.4, 0.55)],
  ['openai', 'o4-mini', p('2025-04-16', 1.1, 4.4, 0.275)],
  ['openai', 'text-embedding-3-small', p('2024-01-25', 0.02, 0)],
  ['openai', 'text-embedding-3-large', p('2024-01-25', 0.13, 0)],
  ['openai', 'text-embedding-ada-002', p('2022-12-15', 0.1, 0)],
  ['anthropic', 'claude-3-haiku', p('2024-03-13', 0.25, 1.25, 0.03, 0.3, 0.5)],
  ['anthropic', 'claude-3-5-haiku', p('2024-11-04', 0.8, 4, 0.08, 1, 1.6)],
  ['anthropic', 'claude-haiku-4-5', p('2025-10-15', 1, 5, 0.1, 1.25, 2)],
  ['anthropic', 'claude-3-5-sonnet', p('2024-06-20', 3, 15, 0.3, 3.75, 6)],
  ['anthropic', 'claude-3-7-sonnet', p('2025-02-24', 3, 15, 0.3, 3.75, 6)],
  ['anthropic', 'claude-sonnet-4', p('2025-05-22', 3, 15, 0.3, 3.75, 6)],
  ['anthropic', 'claude-sonnet-4-5', p('2025-09-29', 3, 15, 0.3, 3.75, 6)],
  ['anthropic', 'claude-3-opus', p('2024-03-04', 15, 75, 1.5, 18.75, 30)],
  ['anthropic', 'claude-opus-4', p('2025-05-22', 15, 75, 1.5, 18.75, 30)],
  ['anthropic', 'claude-opus-4-1', p('2025-08-05', 15, 75, 1.5, 18.75, 30)],
  ['anthropic', 'claude-opus-4-5', p('2025-11-24', 5, 25, 0.5, 6.25, 10)],
  ['gcp.gemini', 'gemini-1.5-flash', p('2024-05-14', 0.075, 0.3, 0.01875)],
  ['gcp.gemini', 'gemini-1.5-pro', p('2024-05-14', 1.25, 5, 0.3125)],
  ['gcp.gemini', 'gemini-2.0-flash', p('2025-02-05', 0.1, 0.4, 0.025)],
  ['gcp.gemini', 'gemini-2.0-flash-lite', p('2025-02-05', 0.075, 0.3)],
  ['gcp.gemini', 'gemini-2.5-flash', p('2025-06-17', 0.3, 2.5, 0.075)],
  ['gcp.gemini', 'gemini-2.5-flash-lite', p('2025-07-22', 0.1, 0.4, 0.025)],
  ['gcp.gemini', 'gemini-2.5-pro', p('2025-06-17', 1.25, 10, 0.31)],
  ['mistral_ai', 'mistral-large', p('2024-11-18', 2, 6)],
  ['mistral_ai', 'mistral-medium', p('2025-05-07', 0.4, 2)],
  ['mistral_ai', 'mistral-small', p('2025-03-17', 0.1, 0.3)],
  ['mistral_ai', 'codestral', p('2025-01-13', 0.3, 0.9)],
  ['mistral_ai', 'mistral-embed', p('2023-12-11', 0.1, 0)],
  ['cohere', 'command-r-plus', p('2024-08-30', 2.5, 10)],
  ['cohere', 'command-r', p('2024-08-30', 0.15, 0.6)],
  ['cohere', 'command-a', p('2025-03-13', 2.5, 10)],
  ['cohere', 'embed-english-v3.0', p('2023-11-02', 0.1, 0)],
  ['aws.bedrock', 'meta.llama3-1-8b-instruct', p('2024-07-23', 0.22, 0.22)],
  ['aws.bedrock', 'meta.llama3-1-70b-instruct', p('2024-07-23', 0.72, 0.72)],
  ['aws.bedrock', 'meta.llama3-3-70b-instruct', p('2024-12-19', 0.72, 0.72)],
  ['aws.bedrock', 'amazon.nova-micro', p('2024-12-03', 0.035, 0.14, 0.00875)],
  ['aws.bedrock', 'amazon.nova-lite', p('2024-12-03', 0.06, 0.24, 0.015)],
  ['aws.bedrock', 'amazon.nova-pro', p('2024-12-03', 0.8, 3.2, 0.2)],
  ['groq', 'llama-3.1-8b-instant', p('2024-07-23', 0.05, 0.08)],
  ['groq', 'llama-3.3-70b-versatile', p('2024-12-06', 0.59, 0.79)],
  ['deepseek', 'deepseek-chat', p('2025-02-09', 0.27, 1.1, 0.07)],
  ['deepseek', 'deepseek-reasoner', p('2025-01-20', 0.55, 2.19, 0.14)],
];

export const PRICE_TABLE: readonly PriceEntry[] = ROWS.map(([provider, model, ...periods]) => ({
  id: `${provider}/${model}`,
  provider,
  model,
  periods,
}));
