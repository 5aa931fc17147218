import type { JSX } from 'preact';
import type { CostProjectionResponse, SummaryResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { budgetStatus } from '../lib/budget-math.ts';
import { buildCostTable } from '../lib/cost-math.ts';
import { formatCount, formatUsd } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { COST_BREAKDOWNS, type CostBreakdown } from '../state/cost-breakdown.ts';
import { CostBreakdownTable } from './CostBreakdownTable.tsx';
import { Panel } from './Panel.tsx';

export interface CostBreakdownPanelProps {
  breakdown: CostBreakdown;
  onBreakdownChange: (breakdown: CostBreakdown) => void;
  /** The window's cost grouped by `breakdown`. */
  summary: QueryResult<SummaryResponse>;
  /** The calendar-month projection grouped by `breakdown`, with tenant budgets. */
  projection: QueryResult<CostProjectionResponse>;
}

const TITLES: Readonly<Record<CostBreakdown, string>> = {
  tenant: 'Cost by tenant',
  feature: 'Cost by feature',
};
const DESCRIPTION =
  "Calls and spend over the window per group, and each group's projected calendar month (cost so far plus the last 7 days' hourly rate for the hours left) against the tenant's monthly budget.";

/**
 * Renders the cost of the window by tenant or by feature as a table, with a switch
 * between the two. The panel keeps the `cost-by-tenant` id that alert rules name.
 */
export function CostBreakdownPanel(props: CostBreakdownPanelProps): JSX.Element {
  const status = combineQueries(props.summary, props.projection);
  const frame = {
    panelId: 'cost-by-tenant',
    title: TITLES[props.breakdown],
    description: DESCRIPTION,
  };
  const breakdownSwitch = (
    <BreakdownSwitch breakdown={props.breakdown} onChange={props.onBreakdownChange} />
  );
  if (status.kind !== 'ready') {
    const error = status.kind === 'error' ? status.error : undefined;
    return (
      <>
        {breakdownSwitch}
        <Panel {...frame} state={status.kind} error={error} />
      </>
    );
  }
  const [summary, projection] = status.data;
  const table = buildCostTable(summary.groups, projection);
  if (table.rows.length === 0 || table.totalRequests === 0) {
    return (
      <>
        {breakdownSwitch}
        <Panel {...frame} state="empty" />
      </>
    );
  }
  const overBudget = table.rows.filter((row) => budgetStatus(row.projection).overBudget);
  const groupNoun = props.breakdown === 'tenant' ? 'tenants' : 'features';
  return (
    <>
      {breakdownSwitch}
      <Panel
        {...frame}
        state="ready"
        headline={
          <>
            <span class="headline-value">{formatUsd(table.totalCostUsd)}</span>
            <span class="headline-label">
              across {formatCount(table.rows.length)} {groupNoun}
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
        <CostBreakdownTable table={table} breakdown={props.breakdown} />
        {table.totalUnpricedRequests > 0 && (
          <p class="panel-note">
            {formatCount(table.totalUnpricedRequests)} calls of unpriced models are not in this
            cost.
          </p>
        )}
      </Panel>
    </>
  );
}

interface BreakdownSwitchProps {
  breakdown: CostBreakdown;
  onChange: (breakdown: CostBreakdown) => void;
}

function BreakdownSwitch(props: BreakdownSwitchProps): JSX.Element {
  return (
    <div class="breakdown-switch" role="group" aria-label="Group cost by">
      {COST_BREAKDOWNS.map((breakdown) => (
        <button
          key={breakdown}
          type="button"
          data-breakdown={breakdown}
          aria-pressed={breakdown === props.breakdown}
          onClick={() => props.onChange(breakdown)}
        >
          By {breakdown}
        </button>
      ))}
    </div>
  );
}
