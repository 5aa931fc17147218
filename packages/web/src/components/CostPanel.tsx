import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { CostProjectionResponse, CostResponse, TimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { buildCostChart } from '../lib/cost-chart.ts';
import { runRateMonthlyCostUsd } from '../lib/cost-math.ts';
import { formatCount, formatUsd } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { alignTimeseries } from '../lib/time-grid.ts';
import { Panel } from './Panel.tsx';
import { UplotChart } from './UplotChart.tsx';

export interface CostPanelProps {
  cost: QueryResult<CostResponse>;
  /** The calendar-month projection; the headline shows its total. */
  projection: QueryResult<CostProjectionResponse>;
  seriesByModel: QueryResult<TimeseriesResponse>;
}

const TITLE = 'Cost per hour';
const DESCRIPTION =
  "Spend on priced LLM calls in USD per hour. The headline projects the calendar month: its cost so far plus the last 7 days' hourly rate for the hours left.";

/** Draws the third big graph, the cost rate, with the projected monthly cost. */
export function CostPanel(props: CostPanelProps): JSX.Element {
  const status = combineQueries(props.cost, props.projection, props.seriesByModel);
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
  const [cost, projection] = status.data;
  if (chart.requests === 0 && cost.unpricedRequests === 0 && cost.totalCostUsd === 0) {
    return <Panel {...frame} state="empty" />;
  }
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value" data-testid="projected-month">
            {formatUsd(projection.total.projectedMonthlyCostUsd)}
          </span>
          <span class="headline-label">projected for {monthLabel(projection.monthStart)}</span>
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
        <span data-testid="run-rate">
          run rate <strong>{formatUsd(cost.hourlyCostUsd)}</strong> per hour,{' '}
          <strong>{formatUsd(runRateOf(cost))}</strong> per 30 days
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

/** The window's run rate over 30 days; computed here when a server leaves the field out. */
function runRateOf(cost: CostResponse): number {
  return cost.runRateMonthlyCostUsd ?? runRateMonthlyCostUsd(cost.hourlyCostUsd);
}

/** Names the UTC month that starts at `monthStart`, such as "November 2026". */
function monthLabel(monthStart: string): string {
  return new Date(monthStart).toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
