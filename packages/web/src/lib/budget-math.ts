import { projectMonthlyCostUsd } from './cost-math.ts';

/** A tenant's projected month against its budget. */
export interface BudgetStatus {
  projectedMonthlyUsd: number | null;
  budgetMonthlyUsd: number | null;
  /** Projected cost in percent of the budget; null without a budget or projection. */
  budgetUsedPercent: number | null;
  overBudget: boolean;
}

/**
 * Projects a tenant's month from its cost over the window (the rate times 720 hours, as
 * `/api/v1/llm/cost` does) and compares it with the tenant's monthly budget.
 */
export function budgetStatus(
  costUsd: number | null,
  windowMs: number,
  budgetMonthlyUsd: number | null,
): BudgetStatus {
  const projectedMonthlyUsd = projectMonthlyCostUsd(costUsd ?? 0, windowMs);
  const budgetUsedPercent =
    budgetMonthlyUsd === null || projectedMonthlyUsd === null || budgetMonthlyUsd <= 0
      ? null
      : (projectedMonthlyUsd / budgetMonthlyUsd) * 100;
  return {
    projectedMonthlyUsd,
    budgetMonthlyUsd,
    budgetUsedPercent,
    overBudget: budgetUsedPercent !== null && budgetUsedPercent > 100,
  };
}
