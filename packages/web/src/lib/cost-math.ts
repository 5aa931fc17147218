import type { CostProjectionGroup, CostProjectionResponse } from '../api/types.ts';

/** Hours in the 30-day month that a run rate is scaled to; the result is a rate, not a projection. */
export const HOURS_PER_RUN_RATE_MONTH = 720;

/** Scales an hourly run rate to 720 hours. */
export function runRateMonthlyCostUsd(hourlyCostUsd: number): number {
  return hourlyCostUsd * HOURS_PER_RUN_RATE_MONTH;
}

/** One row of the cost breakdown table: a tenant or a feature. */
export interface CostRow {
  key: string | null;
  requests: number;
  /** Cost of the priced calls in the window; null when none of the group's calls has a price. */
  costUsd: number | null;
  unpricedRequests: number;
  /** Share of the table total in percent; null when the total is zero. */
  sharePercent: number | null;
  /** The group's calendar-month projection; null when the projection has no such group. */
  projection: CostProjectionGroup | null;
}

export interface CostTable {
  rows: CostRow[];
  totalRequests: number;
  totalCostUsd: number;
  totalUnpricedRequests: number;
  /** The projection of every group together; null while the projection is missing. */
  totalProjection: CostProjectionGroup | null;
}

/** The fields of a summary group the table reads. */
export interface CostSummaryGroup {
  key: string | null;
  requests: number;
  costUsd: number | null;
  unpricedRequests: number;
}

/**
 * Builds the cost breakdown table, most expensive first. The total row is the sum of the
 * rows, so the shares add up to 100% and the rows add up to the total. A group without
 * priced calls counts as zero in the total. Groups that the projection has but the window
 * does not (calls earlier in the month) get a row with no calls, so their projection and
 * budget still show.
 */
export function buildCostTable(
  groups: readonly CostSummaryGroup[],
  projection: CostProjectionResponse | null,
): CostTable {
  const totalCostUsd = groups.reduce((total, group) => total + (group.costUsd ?? 0), 0);
  const totalRequests = groups.reduce((total, group) => total + group.requests, 0);
  const totalUnpricedRequests = groups.reduce((total, group) => total + group.unpricedRequests, 0);
  const projected = new Map((projection?.groups ?? []).map((group) => [group.key, group]));
  const windowKeys = new Set(groups.map((group) => group.key));
  const projectionOnly = [...projected.keys()]
    .filter((key) => !windowKeys.has(key))
    .map((key) => ({ key, requests: 0, costUsd: 0, unpricedRequests: 0 }));
  const rows = [...groups, ...projectionOnly]
    .map((group) => ({
      key: group.key,
      requests: group.requests,
      costUsd: group.costUsd,
      unpricedRequests: group.unpricedRequests,
      sharePercent: totalCostUsd > 0 ? ((group.costUsd ?? 0) / totalCostUsd) * 100 : null,
      projection: projected.get(group.key) ?? null,
    }))
    .sort(byCostThenProjection);
  const totalProjection = projection?.total ?? null;
  return { rows, totalRequests, totalCostUsd, totalUnpricedRequests, totalProjection };
}

function byCostThenProjection(a: CostRow, b: CostRow): number {
  return (
    (b.costUsd ?? 0) - (a.costUsd ?? 0) ||
    b.requests - a.requests ||
    (b.projection?.projectedMonthlyCostUsd ?? 0) - (a.projection?.projectedMonthlyCostUsd ?? 0)
  );
}
