import type { JSX } from 'preact';
import type { BudgetsResponse, SummaryResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { budgetStatus } from '../lib/budget-math.ts';
import { buildTenantCostTable, type TenantCostTable } from '../lib/cost-math.ts';
import { formatCount, formatPercent, formatUsd } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { keyLabel } from '../lib/series-keys.ts';
import { Panel } from './Panel.tsx';

export interface CostByTenantPanelProps {
  summaryByTenant: QueryResult<SummaryResponse>;
  /** Budgets are optional: a failed or missing budgets API leaves the budget columns empty. */
  budgets: QueryResult<BudgetsResponse>;
  windowMs: number;
}

const TITLE = 'Cost by tenant';
const DESCRIPTION =
  "Calls and spend per tenant over the window, and the window rate projected over 30 days against each tenant's monthly budget.";

/** Renders cost per tenant as a table, with each tenant's share of the total. */
export function CostByTenantPanel(props: CostByTenantPanelProps): JSX.Element {
  const status = combineQueries(props.summaryByTenant);
  const frame = { panelId: 'cost-by-tenant', title: TITLE, description: DESCRIPTION };
  if (status.kind !== 'ready') {
    const error = status.kind === 'error' ? status.error : undefined;
    return <Panel {...frame} state={status.kind} error={error} />;
  }
  const table = buildTenantCostTable(status.data[0].groups);
  if (table.rows.length === 0 || table.totalRequests === 0) {
    return <Panel {...frame} state="empty" />;
  }
  const budgets = props.budgets.data?.tenants ?? {};
  const overBudget = table.rows.filter(
    (row) => budgetStatus(row.costUsd, props.windowMs, budgetOf(budgets, row.tenant)).overBudget,
  );
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value">{formatUsd(table.totalCostUsd)}</span>
          <span class="headline-label">
            across {formatCount(table.rows.length)} tenants
            {overBudget.length > 0 && (
              <strong class="cell-bad">
                , {formatCount(overBudget.length)} projected over budget
              </strong>
            )}
          </span>
        </>
      }
      seriesCount={table.rows.length}
      pointCount={table.rows.length}
    >
      <TenantTable table={table} budgets={budgets} windowMs={props.windowMs} />
      {table.totalUnpricedRequests > 0 && (
        <p class="panel-note">
          {formatCount(table.totalUnpricedRequests)} calls of unpriced models are not in this cost.
        </p>
      )}
    </Panel>
  );
}

function budgetOf(budgets: Record<string, number>, tenant: string | null): number | null {
  return tenant === null ? null : (budgets[tenant] ?? null);
}

interface TenantTableProps {
  table: TenantCostTable;
  budgets: Record<string, number>;
  windowMs: number;
}

function TenantTable({ table, budgets, windowMs }: TenantTableProps): JSX.Element {
  return (
    <table class="data-table">
      <thead>
        <tr>
          <th scope="col">Tenant</th>
          <th scope="col">Requests</th>
          <th scope="col">Cost</th>
          <th scope="col">Share of total</th>
          <th scope="col">Projected month</th>
          <th scope="col">Monthly budget</th>
          <th scope="col">Budget used</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => {
          const budget = budgetStatus(row.costUsd, windowMs, budgetOf(budgets, row.tenant));
          return (
            <tr
              key={row.tenant ?? ''}
              data-tenant={row.tenant ?? ''}
              data-over-budget={String(budget.overBudget)}
            >
              <th scope="row">{keyLabel(row.tenant, 'tenant')}</th>
              <td>{formatCount(row.requests)}</td>
              <td>{formatUsd(row.costUsd)}</td>
              <td>{formatPercent(row.sharePercent)}</td>
              <td>{formatUsd(budget.projectedMonthlyUsd)}</td>
              <td>
                {budget.budgetMonthlyUsd === null ? 'none' : formatUsd(budget.budgetMonthlyUsd)}
              </td>
              <td class={budget.overBudget ? 'cell-bad' : undefined}>
                <BudgetBar percent={budget.budgetUsedPercent} />
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td>{formatCount(table.totalRequests)}</td>
          <td>{formatUsd(table.totalCostUsd)}</td>
          <td>{table.totalCostUsd > 0 ? '100%' : formatPercent(null)}</td>
          <td>{formatUsd(budgetStatus(table.totalCostUsd, windowMs, null).projectedMonthlyUsd)}</td>
          <td />
          <td />
        </tr>
      </tfoot>
    </table>
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
