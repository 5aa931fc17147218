import type { CanonicalSpan, SpanCost, TokenUsage } from '../semconv/canonical-span.ts';
import {
  PRICE_TABLE,
  PRICE_TABLE_VERSION,
  type PriceEntry,
  type PricePeriod,
} from './price-table.ts';

const NANOS_PER_MS = 1_000_000n;
const TOKENS_PER_MILLION = 1_000_000;

/** Provider prefixes written in front of model names by gateways and SDKs. */
const VENDOR_PREFIX =
  /^(openai|anthropic|google|gemini|vertex_ai|mistral|mistralai|cohere|groq|deepseek|bedrock|azure|meta|amazon)\//;
/** Bedrock cross-region inference profile prefixes. */
const BEDROCK_REGION_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;
/** Dated snapshot and version suffixes: -2024-08-06, -20241022, @20241022, -latest, -v1:0, -001. */
const SNAPSHOT_SUFFIX =
  /(-\d{4}-\d{2}-\d{2}|[-@]\d{8}|-latest|-v\d+(:\d+)?|-\d{3}|-preview(-\d{2}-\d{2})?|-exp)$/;

interface PriceIndex {
  byModel: Map<string, PriceEntry>;
}

function buildIndex(entries: readonly PriceEntry[]): PriceIndex {
  const byModel = new Map<string, PriceEntry>();
  for (const entry of entries) byModel.set(entry.model, entry);
  return { byModel };
}

const DEFAULT_INDEX = buildIndex(PRICE_TABLE);

/**
 * Resolves a model name as sent by an application to a price-table entry:
 * lowercases it, strips ARNs, vendor and Bedrock region prefixes, `ft:` fine-tune
 * wrappers (priced as their base model), and dated snapshot suffixes, trying the
 * name after each step.
 */
export function resolvePriceEntry(
  model: string,
  index: PriceIndex = DEFAULT_INDEX,
): PriceEntry | null {
  for (const candidate of modelNameCandidates(model)) {
    const entry = index.byModel.get(candidate);
    if (entry) return entry;
  }
  return null;
}

export function modelNameCandidates(model: string): string[] {
  const candidates: string[] = [];
  let name = model.trim().toLowerCase();
  const push = (value: string): void => {
    if (value !== '' && !candidates.includes(value)) candidates.push(value);
  };

  if (name.startsWith('arn:')) name = name.slice(name.lastIndexOf('/') + 1);
  if (name.startsWith('ft:')) name = name.split(':')[1] ?? name;
  push(name);
  name = name.replace(VENDOR_PREFIX, '');
  push(name);
  name = name.replace(BEDROCK_REGION_PREFIX, '');
  push(name);
  for (let i = 0; i < 3 && SNAPSHOT_SUFFIX.test(name); i++) {
    name = name.replace(SNAPSHOT_SUFFIX, '');
    push(name);
  }
  const vendorDot = name.indexOf('.');
  if (vendorDot > 0 && /^(anthropic|meta|amazon|cohere|mistral|ai21)\./.test(name)) {
    const bare = name.slice(vendorDot + 1);
    push(bare);
    let stripped = bare;
    for (let i = 0; i < 3 && SNAPSHOT_SUFFIX.test(stripped); i++) {
      stripped = stripped.replace(SNAPSHOT_SUFFIX, '');
      push(stripped);
    }
  }
  return candidates;
}

/** Picks the period in force at `startTimeUnixNano`, or null when the call predates the entry. */
export function periodAt(entry: PriceEntry, startTimeUnixNano: bigint): PricePeriod | null {
  const startDay = new Date(Number(startTimeUnixNano / NANOS_PER_MS)).toISOString().slice(0, 10);
  let chosen: PricePeriod | null = null;
  for (const period of entry.periods) {
    if (period.effectiveFrom <= startDay) chosen = period;
  }
  return chosen ?? entry.periods[0] ?? null;
}

/**
 * Computes the cost parts of one call: uncached input (input minus cache reads and
 * writes) at the input price, cache reads and writes at their prices, and output
 * (which includes reasoning) at the output price, or reasoning at its own price
 * where the model prices it apart.
 */
export function computeCost(
  usage: TokenUsage,
  period: PricePeriod,
): Omit<SpanCost, 'priceModel' | 'priceTableVersion'> {
  const perToken = (usdPerMTok: number): number => usdPerMTok / TOKENS_PER_MILLION;
  const uncachedInput = Math.max(
    0,
    usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens,
  );
  const cacheReadPrice = period.cacheReadUsdPerMTok ?? period.inputUsdPerMTok;
  const cacheWritePrice = period.cacheWriteUsdPerMTok ?? period.inputUsdPerMTok;

  const inputUsd = uncachedInput * perToken(period.inputUsdPerMTok);
  const cacheReadUsd = usage.cachedInputTokens * perToken(cacheReadPrice);
  const cacheWriteUsd = usage.cacheWriteTokens * perToken(cacheWritePrice);
  const outputUsd =
    period.reasoningUsdPerMTok === undefined
      ? usage.outputTokens * perToken(period.outputUsdPerMTok)
      : (usage.outputTokens - usage.reasoningTokens) * perToken(period.outputUsdPerMTok) +
        usage.reasoningTokens * perToken(period.reasoningUsdPerMTok);

  return {
    totalUsd: inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd,
    inputUsd,
    outputUsd,
    cacheReadUsd,
    cacheWriteUsd,
  };
}

/** Fills `span.cost` for a model call; other spans and unknown models keep a null cost. */
export function priceSpan(span: CanonicalSpan): void {
  if (!span.isLlmCall || span.model === null) return;
  const entry =
    resolvePriceEntry(span.model) ??
    (span.responseModel !== null ? resolvePriceEntry(span.responseModel) : null);
  if (entry === null) return;
  const period = periodAt(entry, span.startTimeUnixNano);
  if (period === null) return;
  span.cost = {
    ...computeCost(span.usage, period),
    priceModel: entry.id,
    priceTableVersion: PRICE_TABLE_VERSION,
  };
}
