/** Hours in the 30-day month that the monthly projection assumes. */
export const HOURS_PER_PROJECTED_MONTH = 720;

/**
 * Projects the cost of a 30-day month from the cost rate over a window, the same method
 * as `/api/v1/llm/cost`. Returns null for an empty or inverted window.
 */
export function projectMonthlyCostUsd(totalCostUsd: number, windowMs: number): number | null {
  if (!(windowMs > 0)) {
    return null;
  }
  const hourlyCostUsd = totalCostUsd / (windowMs / 3_600_000);
  return hourlyCostUsd * HOURS_PER_PROJECTED_MONTH;
}

/** One row of the cost-by-tenant table. */
export interface TenantCostRow {
  tenant: string | null;
  requests: number;
  /** Cost of the priced calls; null when none of the tenant's calls has a price. */
  costUsd: number | null;
  unpricedRequests: number;
  /** Share of the table total in percent; null when the total is zero. */
  sharePercent: number | null;
}

export interface TenantCostTable {
  rows: TenantCostRow[];
  totalRequests: number;
  totalCostUsd: number;
  totalUnpricedRequests: number;
}

/**
 * Builds the cost-by-tenant table, most expensive first. The total row is the sum of the
 * rows, so the shares add up to 100% and the rows add up to the total. A tenant without
 * priced calls counts as zero in the total.
 */
export function buildTenantCostTable(
  groups: {
    key: string | null;
    requests: number;
    costUsd: number | null;
    unpricedRequests: number;
  }[],
): TenantCostTable {
  const totalCostUsd = groups.reduce((total, group) => total + (group.costUsd ?? 0), 0);
  const totalRequests = groups.reduce((total, group) => total + group.requests, 0);
  const totalUnpricedRequests = groups.reduce((total, group) => total + group.unpricedRequests, 0);
  const rows = groups
    .map((group) => ({
      tenant: group.key,
      requests: group.requests,
      costUsd: group.costUsd,
      unpricedRequests: group.unpricedRequests,
      sharePercent: totalCostUsd > 0 ? ((group.costUsd ?? 0) / totalCostUsd) * 100 : null,
    }))
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.requests - a.requests);
  return { rows, totalRequests, totalCostUsd, totalUnpricedRequests };
}
