import {
  PRICE_TABLE,
  PRICE_TABLE_VERSION,
  type PriceEntry,
  type PricePeriod,
} from '../enrich/price-table.ts';
import type { CanonicalSpan, SpanCost } from '../semconv/canonical-span.ts';
import { readCacheWrite1hTokens } from './cache-write-ttl.ts';
import { appliedPrices, computeCostParts } from './cost-parts.ts';
import { modelNameCandidates } from './model-names.ts';
import { overrideId, overridePeriod, type PriceOverride } from './overrides.ts';
import { periodInForce } from './periods.ts';
import { lookupTable } from '../lookup-table.ts';

/** A model name resolved to the prices in force at a time. */
export interface ResolvedPrice {
  priceModel: string;
  period: PricePeriod;
  source: 'table' | 'override';
  azureDeployment: string | null;
}

/** The span fields pricing reads. */
export type PricedSpanFields = Pick<
  CanonicalSpan,
  | 'isLlmCall'
  | 'provider'
  | 'model'
  | 'responseModel'
  | 'startTimeUnixNano'
  | 'usage'
  | 'attributes'
>;

interface IndexedEntry {
  id: string;
  periods: PricePeriod[];
  source: 'table' | 'override';
}

const ANY_PROVIDER = '*';
const NANOS_PER_DAY = 86_400_000_000_000n;
/** Resolutions kept per price book; the cache starts over when it is full. */
const RESOLVE_CACHE_SIZE = 4096;
/** Provider values that mean Azure OpenAI, where request models are deployment names. */
const AZURE_PROVIDERS: ReadonlySet<string> = new Set([
  'azure.ai.openai',
  'azure.ai.inference',
  'azure',
  'az.ai.openai',
]);
/** Provider values that share another provider's price entries. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = lookupTable({
  'azure.ai.inference': 'azure.ai.openai',
  azure: 'azure.ai.openai',
  'gcp.gen_ai': 'gcp.gemini',
  fireworks_ai: 'fireworks',
  together: 'together_ai',
  mistral: 'mistral_ai',
});

/**
 * The shipped price table plus the overrides and Azure deployment mapping of one
 * data directory. Looks up a model for a span's provider first (an override
 * before the table), then falls back to the model's home entry, the first entry
 * of that name in the table, for spans sent through a gateway or another host.
 */
export class PriceBook {
  private readonly byProviderModel = new Map<string, IndexedEntry>();
  private readonly homeByModel = new Map<string, IndexedEntry>();
  private overrideList: PriceOverride[] = [];
  private overridesByKey = new Map<string, IndexedEntry>();
  private deployments = new Map<string, string>();
  /**
   * Resolutions by provider, model and UTC day: prices change by the day, so a
   * stream of calls to a few models resolves each name once a day. Overrides and
   * deployment changes clear it.
   */
  private resolved = new Map<string, ResolvedPrice | null>();

  constructor(entries: readonly PriceEntry[] = PRICE_TABLE) {
    for (const entry of entries) {
      const indexed: IndexedEntry = { id: entry.id, periods: entry.periods, source: 'table' };
      this.byProviderModel.set(`${entry.provider}|${entry.model}`, indexed);
      if (!this.homeByModel.has(entry.model)) this.homeByModel.set(entry.model, indexed);
    }
  }

  overrides(): PriceOverride[] {
    return this.overrideList.map((override) => ({ ...override }));
  }

  /** Replaces every override; several overrides of one model and provider form dated periods. */
  setOverrides(overrides: readonly PriceOverride[]): void {
    const byKey = new Map<string, IndexedEntry>();
    for (const override of overrides) {
      const key = `${override.provider ?? ANY_PROVIDER}|${override.model.toLowerCase()}`;
      const indexed = byKey.get(key) ?? {
        id: overrideId(override),
        periods: [],
        source: 'override' as const,
      };
      indexed.periods.push(overridePeriod(override));
      byKey.set(key, indexed);
    }
    this.overridesByKey = byKey;
    this.overrideList = overrides.map((override) => ({ ...override }));
    this.resolved = new Map();
  }

  azureDeployments(): Record<string, string> {
    return Object.fromEntries(this.deployments);
  }

  /** Replaces the mapping of Azure OpenAI deployment names to the model each deployment serves. */
  setAzureDeployments(deployments: Readonly<Record<string, string>>): void {
    this.deployments = new Map(
      Object.entries(deployments).map(([name, model]) => [name.trim().toLowerCase(), model.trim()]),
    );
    this.resolved = new Map();
  }

  /**
   * Resolves a model name sent by a span of `provider` to the prices in force at
   * `startTimeUnixNano`. The result is shared between calls; treat it as read-only.
   */
  resolve(model: string, provider: string | null, startTimeUnixNano: bigint): ResolvedPrice | null {
    // BigInt division truncates toward zero, so start times before 1970 skip the cache.
    if (startTimeUnixNano < 0n) return this.resolveUncached(model, provider, startTimeUnixNano);
    const key = `${provider}\u0001${model}\u0001${startTimeUnixNano / NANOS_PER_DAY}`;
    const cached = this.resolved.get(key);
    if (cached !== undefined) return cached;
    const resolved = this.resolveUncached(model, provider, startTimeUnixNano);
    if (this.resolved.size >= RESOLVE_CACHE_SIZE) this.resolved = new Map();
    this.resolved.set(key, resolved);
    return resolved;
  }

  private resolveUncached(
    model: string,
    provider: string | null,
    startTimeUnixNano: bigint,
  ): ResolvedPrice | null {
    const deployment = this.deploymentModel(model, provider);
    const name = deployment?.model ?? model;
    const spanProvider = deployment === null ? provider : (provider ?? 'azure.ai.openai');
    const { names, providerHint } = modelNameCandidates(name);
    const providers = preferredProviders(spanProvider, providerHint);
    const found =
      this.findForProviders(names, providers, startTimeUnixNano) ??
      this.findHome(names, startTimeUnixNano);
    if (found === null) return null;
    return { ...found, azureDeployment: deployment?.name ?? null };
  }

  /** Computes the cost of a model call; a model without a price gets a null cost, never zero. */
  costOf(span: PricedSpanFields): SpanCost {
    const resolved = this.resolveSpan(span);
    if (resolved === null) return unpricedCost();
    const prices = appliedPrices(resolved.period, span.usage);
    const cacheWrite1hTokens = readCacheWrite1hTokens(span.attributes, span.usage.cacheWriteTokens);
    // Copied field by field, because on Node 20 spreading `parts` into this literal took about
    // 3 µs per call against 0.25 µs, and ingest prices every model call.
    const parts = computeCostParts(span.usage, prices, cacheWrite1hTokens);
    return {
      totalUsd: parts.totalUsd,
      inputUsd: parts.inputUsd,
      outputUsd: parts.outputUsd,
      cacheReadUsd: parts.cacheReadUsd,
      cacheWriteUsd: parts.cacheWriteUsd,
      priceModel: resolved.priceModel,
      priceTableVersion: PRICE_TABLE_VERSION,
      pricesUsdPerMTok: prices,
      priceDetail: {
        source: resolved.source,
        effectiveFrom: resolved.period.effectiveFrom,
        cacheWrite1hTokens,
        azureDeployment: resolved.azureDeployment,
      },
    };
  }

  /** Fills `span.cost` for a model call; other spans keep their null cost. */
  priceSpan(span: CanonicalSpan): void {
    if (!span.isLlmCall) return;
    span.cost = this.costOf(span);
  }

  private resolveSpan(span: PricedSpanFields): ResolvedPrice | null {
    if (!span.isLlmCall) return null;
    const byRequest =
      span.model === null ? null : this.resolve(span.model, span.provider, span.startTimeUnixNano);
    if (byRequest !== null || span.responseModel === null) return byRequest;
    return this.resolve(span.responseModel, span.provider, span.startTimeUnixNano);
  }

  private deploymentModel(
    model: string,
    provider: string | null,
  ): { name: string; model: string } | null {
    if (provider !== null && !AZURE_PROVIDERS.has(provider)) return null;
    const mapped = this.deployments.get(model.trim().toLowerCase());
    return mapped === undefined ? null : { name: model, model: mapped };
  }

  private findForProviders(
    names: readonly string[],
    providers: readonly string[],
    startTimeUnixNano: bigint,
  ): Omit<ResolvedPrice, 'azureDeployment'> | null {
    for (const name of names) {
      const lookups = [
        ...providers.map((provider) => this.overridesByKey.get(`${provider}|${name}`)),
        this.overridesByKey.get(`${ANY_PROVIDER}|${name}`),
        ...providers.map((provider) => this.byProviderModel.get(`${provider}|${name}`)),
      ];
      for (const indexed of lookups) {
        const found = indexed === undefined ? null : inForce(indexed, startTimeUnixNano);
        if (found !== null) return found;
      }
    }
    return null;
  }

  private findHome(
    names: readonly string[],
    startTimeUnixNano: bigint,
  ): Omit<ResolvedPrice, 'azureDeployment'> | null {
    for (const name of names) {
      const indexed = this.homeByModel.get(name);
      const found = indexed === undefined ? null : inForce(indexed, startTimeUnixNano);
      if (found !== null) return found;
    }
    return null;
  }
}

/**
 * Picks the period in force. A table entry prices calls made before its first
 * period at that first period; an override applies only from its first day on.
 */
function inForce(
  indexed: IndexedEntry,
  startTimeUnixNano: bigint,
): Omit<ResolvedPrice, 'azureDeployment'> | null {
  const period =
    periodInForce(indexed.periods, startTimeUnixNano) ??
    (indexed.source === 'table' ? (indexed.periods[0] ?? null) : null);
  return period === null ? null : { priceModel: indexed.id, period, source: indexed.source };
}

function preferredProviders(provider: string | null, providerHint: string | null): string[] {
  const providers: string[] = [];
  for (const value of [provider, providerHint]) {
    if (value === null) continue;
    const canonical = PROVIDER_ALIASES[value] ?? value;
    if (!providers.includes(canonical)) providers.push(canonical);
  }
  return providers;
}

/** The cost of a call whose model has no price: every part null, so it never sums as $0. */
export function unpricedCost(): SpanCost {
  return {
    totalUsd: null,
    inputUsd: null,
    outputUsd: null,
    cacheReadUsd: null,
    cacheWriteUsd: null,
    priceModel: null,
    priceTableVersion: null,
    pricesUsdPerMTok: null,
    priceDetail: null,
  };
}
