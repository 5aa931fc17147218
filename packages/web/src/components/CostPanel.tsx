import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { CostResponse, TimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { buildCostChart } from '../lib/cost-chart.ts';
import { projectMonthlyCostUsd } from '../lib/cost-math.ts';
import { formatCount, formatUsd } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { alignTimeseries } from '../lib/time-grid.ts';
import { Panel } from './Panel.tsx';
import { UplotChart } from './UplotChart.tsx';

export interface CostPanelProps {
  cost: QueryResult<CostResponse>;
  seriesByModel: QueryResult<TimeseriesResponse>;
}

const TITLE = 'Cost per hour';
const DESCRIPTION =
  'Spend on priced LLM calls in USD per hour; the headline projects the window rate over 30 days.';

/** Draws the third big graph, the cost rate, with the projected monthly cost. */
export function CostPanel(props: CostPanelProps): JSX.Element {
  const status = combineQueries(props.cost, props.seriesByModel);
  const seriesData = props.seriesByModel.data;
  const chart = useMemo(
    () => (seriesData === undefined ? null : buildCostChart(alignTimeseries(seriesData))),
    [seriesData],
  );
  const frame = { panelId: 'cost', title: TITLE, description: DESCRIPTION };

  if (status.kind === 'error') {
    return <Panel {...frame} state="error" error={status.error} />;
  }
  if (status.kind === 'loading' || chart === null) {
    return <Panel {...frame} state="loading" />;
  }
  const cost = status.data[0];
  if (chart.requests === 0 && cost.unpricedRequests === 0 && cost.totalCostUsd === 0) {
    return <Panel {...frame} state="empty" />;
  }
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value">{formatUsd(projectedMonthlyUsd(cost))}</span>
          <span class="headline-label">projected per month</span>
        </>
      }
      seriesCount={1}
      pointCount={chart.columns[0].length}
    >
      <UplotChart
        columns={chart.columns}
        series={chart.series}
        formatValue={formatUsd}
        heightPx={220}
      />
      <p class="panel-facts">
        <span>
          <strong>{formatUsd(cost.totalCostUsd)}</strong> in this window
        </span>
        <span>
          <strong>{formatUsd(cost.hourlyCostUsd)}</strong> per hour on average
        </span>
      </p>
      {cost.unpricedRequests > 0 && (
        <p class="panel-note" data-testid="unpriced-note">
          {formatCount(cost.unpricedRequests)} calls of unpriced models are not in this cost.
        </p>
      )}
    </Panel>
  );
}

/** Prefers the server's projection and computes the same one when a server omits it. */
function projectedMonthlyUsd(cost: CostResponse): number | null {
  if (Number.isFinite(cost.projectedMonthlyCostUsd)) {
    return cost.projectedMonthlyCostUsd;
  }
  return projectMonthlyCostUsd(cost.totalCostUsd, Date.parse(cost.to) - Date.parse(cost.from));
}
