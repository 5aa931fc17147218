import type { CostProjectionGroup } from '../api/types.ts';

/** A tenant's projected calendar month against its budget. */
export interface BudgetStatus {
  projectedMonthlyUsd: number | null;
  budgetMonthlyUsd: number | null;
  /** Projected cost in percent of the budget; null without a budget or projection. */
  budgetUsedPercent: number | null;
  overBudget: boolean;
}

/**
 * Reads a group's budget comparison from `/api/v1/llm/cost/projection`: its
 * `projectedBudgetRatio` is the value the budget alarm compares with 1.
 */
export function budgetStatus(projection: CostProjectionGroup | null): BudgetStatus {
  const ratio = projection?.projectedBudgetRatio ?? null;
  const budgetUsedPercent = ratio === null || !Number.isFinite(ratio) ? null : ratio * 100;
  return {
    projectedMonthlyUsd: projection?.projectedMonthlyCostUsd ?? null,
    budgetMonthlyUsd: projection?.budgetUsd ?? null,
    budgetUsedPercent,
    overBudget: ratio !== null && ratio > 1,
  };
}
