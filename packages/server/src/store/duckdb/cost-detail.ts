import type { DuckDBValue } from '@duckdb/node-api';
import type { AppliedPrices, PriceDetail, SpanCost } from '../../semconv/canonical-span.ts';

interface StoredCostDetail {
  pricesUsdPerMTok: AppliedPrices;
  priceDetail: PriceDetail | null;
}

/** The `cost_detail` column: the applied prices and their source as JSON; null for unpriced spans. */
export function costDetailJson(cost: SpanCost): string | null {
  if (cost.pricesUsdPerMTok === undefined || cost.pricesUsdPerMTok === null) return null;
  const detail: StoredCostDetail = {
    pricesUsdPerMTok: cost.pricesUsdPerMTok,
    priceDetail: cost.priceDetail ?? null,
  };
  return JSON.stringify(detail);
}

export function parseCostDetail(
  value: DuckDBValue,
): Pick<SpanCost, 'pricesUsdPerMTok' | 'priceDetail'> {
  if (typeof value !== 'string') return { pricesUsdPerMTok: null, priceDetail: null };
  const detail = JSON.parse(value) as StoredCostDetail;
  return { pricesUsdPerMTok: detail.pricesUsdPerMTok, priceDetail: detail.priceDetail };
}
