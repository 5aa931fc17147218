import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { SummaryResponse, TimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { cursorCaption, valueAt } from '../lib/cursor.ts';
import { TREND_COLOR } from '../lib/chart-series.ts';
import { buildErrorChart, type ErrorChart } from '../lib/error-chart.ts';
import { ratePercent, windowErrorRatePercent } from '../lib/error-rate.ts';
import { formatCount, formatPercent } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { alignTimeseries } from '../lib/time-grid.ts';
import { LegendTable, type LegendRow } from './LegendTable.tsx';
import { Panel } from './Panel.tsx';
import { UplotChart } from './UplotChart.tsx';

export interface ErrorRatePanelProps {
  seriesByErrorType: QueryResult<TimeseriesResponse>;
  seriesByModel: QueryResult<TimeseriesResponse>;
  summaryByModel: QueryResult<SummaryResponse>;
}

const TITLE = 'Error rate by error type';
const DESCRIPTION =
  'Failed LLM calls of each error type in percent of all calls per bucket; dashed: linear trend.';

/** Draws the second big graph, error rate per error type with a trend line. */
export function ErrorRatePanel(props: ErrorRatePanelProps): JSX.Element {
  const status = combineQueries(props.seriesByErrorType, props.seriesByModel, props.summaryByModel);
  const errorData = props.seriesByErrorType.data;
  const modelData = props.seriesByModel.data;
  const chart = useMemo(
    () =>
      errorData === undefined || modelData === undefined
        ? null
        : buildErrorChart(alignTimeseries(errorData), alignTimeseries(modelData)),
    [errorData, modelData],
  );
  const [cursorIndex, setCursorIndex] = useState<number | null>(null);
  const frame = { panelId: 'errors', title: TITLE, description: DESCRIPTION };

  if (status.kind === 'error') {
    return <Panel {...frame} state="error" error={status.error} />;
  }
  if (status.kind === 'loading' || chart === null) {
    return <Panel {...frame} state="loading" />;
  }
  const groups = status.data[2].groups;
  const rate = windowErrorRatePercent(groups);
  if (rate === null) {
    return <Panel {...frame} state="empty" />;
  }
  const errors = groups.reduce((total, group) => total + group.errors, 0);
  const requests = groups.reduce((total, group) => total + group.requests, 0);
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class={`headline-value${errors > 0 ? ' headline-bad' : ''}`}>
            {formatPercent(rate)}
          </span>
          <span class="headline-label">
            {formatCount(errors)} of {formatCount(requests)} calls failed
          </span>
        </>
      }
      seriesCount={chart.lines.length}
      pointCount={chart.columns[0].length}
    >
      <UplotChart
        columns={chart.columns}
        series={chart.series}
        formatValue={formatPercent}
        heightPx={220}
        onCursorIndex={setCursorIndex}
      />
      <LegendTable
        caption={cursorCaption(chart.columns[0], cursorIndex)}
        columns={[{ label: 'error rate' }]}
        rows={errorLegendRows(chart, cursorIndex, rate)}
      />
    </Panel>
  );
}

function errorLegendRows(
  chart: ErrorChart,
  cursorIndex: number | null,
  windowRatePercent: number | null,
): LegendRow[] {
  const rows: LegendRow[] = chart.lines.map((line, lineIndex) => {
    const value =
      cursorIndex === null
        ? ratePercent(line.errors, chart.requests)
        : valueAt(chart.columns[1 + lineIndex], cursorIndex);
    return {
      key: line.label,
      label: line.label,
      color: line.color,
      values: [formatPercent(value)],
    };
  });
  const trendIndex = chart.columns.length - 1;
  const trendValue =
    cursorIndex === null ? windowRatePercent : valueAt(chart.columns[trendIndex], cursorIndex);
  rows.push({
    key: 'trend',
    label: cursorIndex === null ? 'all types' : 'all types, trend',
    color: TREND_COLOR,
    values: [formatPercent(trendValue)],
  });
  return rows;
}
