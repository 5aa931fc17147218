/** The dimensions the cost breakdown table can group by; `tenant` is the default. */
export const COST_BREAKDOWNS = ['tenant', 'feature'] as const;

export type CostBreakdown = (typeof COST_BREAKDOWNS)[number];

export const DEFAULT_COST_BREAKDOWN: CostBreakdown = 'tenant';

/** The URL parameter that contains the breakdown, such as `?breakdown=feature`. */
export const COST_BREAKDOWN_PARAM = 'breakdown';

export function isCostBreakdown(value: string): value is CostBreakdown {
  return (COST_BREAKDOWNS as readonly string[]).includes(value);
}

/** Reads the breakdown from the query string; a missing or unknown value gives the default. */
export function parseCostBreakdown(params: URLSearchParams): CostBreakdown {
  const value = params.get(COST_BREAKDOWN_PARAM) ?? '';
  return isCostBreakdown(value) ? value : DEFAULT_COST_BREAKDOWN;
}

/** Writes the breakdown unless it is the default. */
export function writeCostBreakdown(params: URLSearchParams, breakdown: CostBreakdown): void {
  if (breakdown !== DEFAULT_COST_BREAKDOWN) {
    params.set(COST_BREAKDOWN_PARAM, breakdown);
  }
}
