import type { JSX } from 'preact';
import { budgetStatus } from '../lib/budget-math.ts';
import type { CostRow, CostTable } from '../lib/cost-math.ts';
import { formatCount, formatPercent, formatUsd } from '../lib/format.ts';
import { keyLabel } from '../lib/series-keys.ts';
import type { CostBreakdown } from '../state/cost-breakdown.ts';

export interface CostBreakdownTableProps {
  table: CostTable;
  breakdown: CostBreakdown;
}

const DIMENSION_LABELS: Readonly<Record<CostBreakdown, string>> = {
  tenant: 'Tenant',
  feature: 'Feature',
};

/**
 * Renders the window's calls, cost and share per group, the calendar-month projection per
 * group and, by tenant, the budget columns. The total row sums the rows.
 */
export function CostBreakdownTable({ table, breakdown }: CostBreakdownTableProps): JSX.Element {
  const withBudgets = breakdown === 'tenant';
  return (
    <table class="data-table" data-breakdown={breakdown}>
      <thead>
        <tr>
          <th scope="col">{DIMENSION_LABELS[breakdown]}</th>
          <th scope="col">Requests</th>
          <th scope="col">Cost</th>
          <th scope="col">Share of total</th>
          <th scope="col">Projected month</th>
          {withBudgets && <th scope="col">Monthly budget</th>}
          {withBudgets && <th scope="col">Budget used</th>}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => (
          <CostTableRow key={row.key ?? ''} row={row} breakdown={breakdown} />
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{formatCount(table.totalRequests)}</td>
          <td>{formatUsd(table.totalCostUsd)}</td>
          <td>{table.totalCostUsd > 0 ? '100%' : formatPercent(null)}</td>
          <td>{formatUsd(table.totalProjection?.projectedMonthlyCostUsd)}</td>
          {withBudgets && <td />}
          {withBudgets && <td />}
        </tr>
      </tfoot>
    </table>
  );
}

function CostTableRow({ row, breakdown }: { row: CostRow; breakdown: CostBreakdown }): JSX.Element {
  const budget = budgetStatus(row.projection);
  const withBudgets = breakdown === 'tenant';
  return (
    <tr
      data-key={row.key ?? ''}
      data-over-budget={withBudgets ? String(budget.overBudget) : undefined}
    >
      <th scope="row">{keyLabel(row.key, breakdown)}</th>
      <td>{formatCount(row.requests)}</td>
      <td>{formatUsd(row.costUsd)}</td>
      <td>{formatPercent(row.sharePercent)}</td>
      <td>{formatUsd(budget.projectedMonthlyUsd)}</td>
      {withBudgets && (
        <td>{budget.budgetMonthlyUsd === null ? 'none' : formatUsd(budget.budgetMonthlyUsd)}</td>
      )}
      {withBudgets && (
        <td class={budget.overBudget ? 'cell-bad' : undefined}>
          <BudgetBar percent={budget.budgetUsedPercent} />
        </td>
      )}
    </tr>
  );
}

/** Draws a bar filled to the share of the budget used, capped at the cell width, and the number. */
function BudgetBar({ percent }: { percent: number | null }): JSX.Element {
  if (percent === null) {
    return <span class="muted">—</span>;
  }
  return (
    <span class="budget">
      <span class="budget-track" aria-hidden="true">
        <span
          class={`budget-fill${percent > 100 ? ' budget-over' : ''}`}
          style={{ width: `${Math.min(percent, 100)}%` }}
        />
      </span>
      {formatPercent(percent)}
    </span>
  );
}
