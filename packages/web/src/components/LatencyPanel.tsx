import type { JSX } from 'preact';
import { useContext, useMemo, useState } from 'preact/hooks';
import type { SummaryResponse, TimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { PERCENTILE_STYLES } from '../lib/chart-series.ts';
import { formatDurationMs } from '../lib/format.ts';
import { buildLatencyChart, PERCENTILES, type LatencyChart } from '../lib/latency-chart.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { keyLabel } from '../lib/series-keys.ts';
import { alignTimeseries } from '../lib/time-grid.ts';
import { cursorCaption, valueAt } from '../lib/cursor.ts';
import { latencyThresholds } from '../lib/thresholds.ts';
import { AlarmContext } from '../state/alarm-context.ts';
import { NavigationContext } from '../state/navigation-context.ts';
import { Panel } from './Panel.tsx';
import { LegendTable } from './LegendTable.tsx';
import { UplotChart } from './UplotChart.tsx';

export interface LatencyPanelProps {
  seriesByModel: QueryResult<TimeseriesResponse>;
  summaryByModel: QueryResult<SummaryResponse>;
}

const TITLE = 'Latency by model';
const DESCRIPTION =
  'p50, p95 and p99 duration of LLM calls per model in each time bucket; red dashes: alarm thresholds. Click a line to see its traces.';

/** Draws the first big graph, latency percentiles per model. */
export function LatencyPanel(props: LatencyPanelProps): JSX.Element {
  const status = combineQueries(props.seriesByModel, props.summaryByModel);
  const seriesData = props.seriesByModel.data;
  const chart = useMemo(
    () => (seriesData === undefined ? null : buildLatencyChart(alignTimeseries(seriesData))),
    [seriesData],
  );
  const [cursorIndex, setCursorIndex] = useState<number | null>(null);
  const { rules } = useContext(AlarmContext);
  const { onOpenTraces } = useContext(NavigationContext);
  const thresholds = useMemo(() => latencyThresholds(rules), [rules]);

  const frame = { panelId: 'latency', title: TITLE, description: DESCRIPTION };

  if (status.kind === 'error') {
    return <Panel {...frame} state="error" error={status.error} />;
  }
  if (status.kind === 'loading' || chart === null) {
    return <Panel {...frame} state="loading" />;
  }
  const summary = status.data[1];
  if (summary.groups.every((group) => group.requests === 0) || chart.models.length === 0) {
    return <Panel {...frame} state="empty" />;
  }
  return (
    <Panel
      {...frame}
      state="ready"
      headline={<SlowestModelHeadline summary={summary} />}
      seriesCount={chart.models.length}
      pointCount={chart.columns[0].length}
    >
      <UplotChart
        columns={chart.columns}
        series={chart.series}
        formatValue={formatDurationMs}
        heightPx={260}
        onCursorIndex={setCursorIndex}
        thresholds={thresholds}
        onPointClick={(index, seriesIndex) => {
          const startMs = chart.columns[0][index];
          if (startMs === undefined) return;
          const model = seriesIndex === null ? undefined : modelOfSeries(chart, seriesIndex);
          onOpenTraces({
            fromMs: startMs,
            toMs: startMs + (seriesData?.stepMs ?? 60_000),
            filters: model === undefined || model.startsWith('(no ') ? {} : { model },
          });
        }}
      />
      <LegendTable
        caption={cursorCaption(chart.columns[0], cursorIndex)}
        columns={PERCENTILES.map((percentile) => ({
          label: percentile,
          dash: [...PERCENTILE_STYLES[percentile].dash],
        }))}
        rows={latencyLegendRows(chart, summary, cursorIndex)}
      />
    </Panel>
  );
}

/** Returns the model of a uPlot series index (1-based; each model owns three lines). */
function modelOfSeries(chart: LatencyChart, seriesIndex: number): string | undefined {
  return chart.models[Math.floor((seriesIndex - 1) / PERCENTILES.length)];
}

function latencyLegendRows(
  chart: LatencyChart,
  summary: SummaryResponse,
  cursorIndex: number | null,
) {
  return chart.models.map((model, modelIndex) => {
    const group = summary.groups.find((candidate) => keyLabel(candidate.key, 'model') === model);
    const values = PERCENTILES.map((percentile, percentileIndex) => {
      const column = chart.columns[1 + modelIndex * PERCENTILES.length + percentileIndex];
      const value =
        cursorIndex === null ? group?.latencyMs[percentile] : valueAt(column, cursorIndex);
      return formatDurationMs(value);
    });
    return { key: model, label: model, color: chart.colors[modelIndex] ?? '', values };
  });
}

/** Shows the worst p95 of any model over the window, since one slow model is the usual page. */
function SlowestModelHeadline({ summary }: { summary: SummaryResponse }): JSX.Element {
  const slowest = summary.groups
    .filter((group) => group.latencyMs.p95 !== null)
    .sort((a, b) => (b.latencyMs.p95 ?? 0) - (a.latencyMs.p95 ?? 0))[0];
  return (
    <>
      <span class="headline-value">{formatDurationMs(slowest?.latencyMs.p95)}</span>
      <span class="headline-label">
        worst p95{slowest === undefined ? '' : `, ${keyLabel(slowest.key, 'model')}`}
      </span>
    </>
  );
}
