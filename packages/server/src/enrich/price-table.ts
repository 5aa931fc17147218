/**
 * The shipped price table: public list prices in USD per million tokens, for
 * pay-as-you-go standard (not batch, not priority) requests, taken from the
 * providers' public price pages as of the table version date below. Each model
 * has one or more periods with the date they took effect, and a call is priced
 * with the period in force at its start time. A missing cache price means the
 * provider does not offer that kind of caching, so those tokens are priced as
 * plain input. Negotiated discounts, batch rates and regional surcharges are
 * not in the table; set them as overrides in `<dataDir>/prices.yaml`.
 */
import { ANTHROPIC_PRICES } from '../pricing/table/anthropic.ts';
import { BEDROCK_PRICES } from '../pricing/table/bedrock.ts';
import { cloneForHost } from '../pricing/table/entry.ts';
import { GOOGLE_PRICES } from '../pricing/table/google.ts';
import { OPEN_MODEL_HOST_PRICES } from '../pricing/table/open-model-hosts.ts';
import { OPENAI_PRICES } from '../pricing/table/openai.ts';
import { MISTRAL_COHERE_PRICES } from '../pricing/table/mistral-cohere.ts';

/** Prices above a prompt size, applied to every token of a call whose input exceeds it. */
export interface LongContextTier {
  /** The tier applies when input tokens (cache reads and writes included) exceed this. */
  aboveInputTokens: number;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  cacheReadUsdPerMTok?: number;
  cacheWriteUsdPerMTok?: number;
  cacheWrite1hUsdPerMTok?: number;
}

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
  longContext?: LongContextTier;
}

export interface PriceEntry {
  /** `provider/model`, the key shown to users as the resolved price-table entry. */
  id: string;
  /** A `gen_ai.provider.name` value, such as `openai` or `aws.bedrock`. */
  provider: string;
  /** Lowercase model name without snapshot date; fine-tuned rates use an `ft:` prefix. */
  model: string;
  periods: PricePeriod[];
}

/** The date the list prices below were last checked against the providers' pages. */
export const PRICE_TABLE_VERSION = '2026-12-01';

/**
 * Every entry. The first entry of a model name is its home: the price used when
 * the span's provider has no entry of its own for that name. Azure OpenAI global
 * deployments are billed at OpenAI's list prices, and Claude on Bedrock and on
 * Vertex AI at Anthropic's, so those hosts get copies under their own provider.
 */
export const PRICE_TABLE: readonly PriceEntry[] = [
  ...OPENAI_PRICES,
  ...ANTHROPIC_PRICES,
  ...GOOGLE_PRICES,
  ...MISTRAL_COHERE_PRICES,
  ...BEDROCK_PRICES,
  ...OPEN_MODEL_HOST_PRICES,
  ...cloneForHost(OPENAI_PRICES, 'azure.ai.openai'),
  ...cloneForHost(ANTHROPIC_PRICES, 'aws.bedrock'),
  ...cloneForHost(ANTHROPIC_PRICES, 'gcp.vertex_ai'),
  ...cloneForHost(GOOGLE_PRICES, 'gcp.vertex_ai'),
];
