import { activePriceBook, appliedPrices, computeCostParts } from '../enrich/pricing.ts';
import type { TokenKind } from '../metrics/genai-metric-names.ts';
import type { MetricPoint } from '../metrics/metric-point.ts';
import { readString } from '../semconv/attributes.ts';
import type { TokenTotals } from '../store/store.ts';

/** Requests and tokens of one model as a call's span would name it. */
interface ModelUsage {
  model: string | null;
  responseModel: string | null;
  provider: string | null;
  requests: number;
  tokens: TokenTotals;
}

function emptyTokens(): TokenTotals {
  return { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0 };
}

/** Canonical input includes cached input and output includes reasoning, as for spans. */
function canonicalTokens(tokens: TokenTotals): TokenTotals {
  return {
    ...tokens,
    input: Math.max(tokens.input, tokens.cachedInput + tokens.cacheWrite),
    output: Math.max(tokens.output, tokens.reasoning),
  };
}

/** Requests and tokens of a group of metric points, kept per model for pricing. */
export class MetricUsage {
  private readonly byModel = new Map<string, ModelUsage>();

  addRequests(point: MetricPoint, requests: number): void {
    this.usageOf(point).requests += requests;
  }

  addTokens(point: MetricPoint, kind: TokenKind, amount: number): void {
    this.usageOf(point).tokens[kind] += amount;
  }

  /** Returns the token totals over all models. */
  totals(): TokenTotals {
    const totals = emptyTokens();
    for (const usage of this.byModel.values()) {
      for (const kind of Object.keys(totals) as TokenKind[]) totals[kind] += usage.tokens[kind];
    }
    return canonicalTokens(totals);
  }

  /**
   * Prices the tokens of each model with the price book that prices spans, overrides
   * included, looking up the requested model and then the response model, as for a span.
   * Requests of models without a price count as unpriced.
   */
  price(atUnixNano: bigint): { costUsd: number | null; unpricedRequests: number } {
    const book = activePriceBook();
    let costUsd: number | null = null;
    let unpricedRequests = 0;
    for (const usage of this.byModel.values()) {
      const byRequest =
        usage.model === null ? null : book.resolve(usage.model, usage.provider, atUnixNano);
      const resolved =
        byRequest ??
        (usage.responseModel === null
          ? null
          : book.resolve(usage.responseModel, usage.provider, atUnixNano));
      if (resolved === null) {
        unpricedRequests += usage.requests;
        continue;
      }
      const tokens = canonicalTokens(usage.tokens);
      const tokenUsage = {
        inputTokens: tokens.input,
        outputTokens: tokens.output,
        cachedInputTokens: tokens.cachedInput,
        cacheWriteTokens: tokens.cacheWrite,
        reasoningTokens: tokens.reasoning,
      };
      const parts = computeCostParts(tokenUsage, appliedPrices(resolved.period, tokenUsage));
      costUsd = (costUsd ?? 0) + parts.totalUsd;
    }
    return { costUsd, unpricedRequests };
  }

  private usageOf(point: MetricPoint): ModelUsage {
    const responseModel = readString(point.attributes, ['gen_ai.response.model']);
    const key = JSON.stringify([point.model, responseModel, point.provider]);
    let usage = this.byModel.get(key);
    if (usage === undefined) {
      usage = {
        model: point.model,
        responseModel,
        provider: point.provider,
        requests: 0,
        tokens: emptyTokens(),
      };
      this.byModel.set(key, usage);
    }
    return usage;
  }
}
