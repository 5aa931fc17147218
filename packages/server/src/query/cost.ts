import type { LlmQuery, Store } from '../store/store.ts';

const HOUR_MS = 3_600_000;
/** Hours in the 30-day month used for projections. */
export const HOURS_PER_MONTH = 720;

export interface CostOverview {
  totalCostUsd: number;
  unpricedRequests: number;
  hourlyCostUsd: number;
  projectedMonthlyCostUsd: number;
  method: string;
}

/**
 * Projects the monthly cost from the cost rate over the window: the priced cost
 * divided by the window length in hours (the part of the window up to `nowMs`)
 * times 720 hours.
 */
export async function costOverview(
  store: Store,
  query: LlmQuery,
  nowMs: number,
): Promise<CostOverview> {
  const groups = await store.summary(query, 'model');
  let totalCostUsd = 0;
  let unpricedRequests = 0;
  for (const group of groups) {
    totalCostUsd += group.costUsd ?? 0;
    unpricedRequests += group.unpricedRequests;
  }
  const elapsedMs = Math.max(1, Math.min(query.toUnixMs, nowMs) - query.fromUnixMs);
  const hourlyCostUsd = totalCostUsd / (elapsedMs / HOUR_MS);
  return {
    totalCostUsd,
    unpricedRequests,
    hourlyCostUsd,
    projectedMonthlyCostUsd: hourlyCostUsd * HOURS_PER_MONTH,
    method: `priced cost in the window divided by its ${(elapsedMs / HOUR_MS).toFixed(2)} elapsed hours, times ${HOURS_PER_MONTH} hours`,
  };
}
