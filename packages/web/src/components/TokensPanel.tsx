import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { TimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { cursorCaption, valueAt } from '../lib/cursor.ts';
import { formatCompact } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { alignTimeseries } from '../lib/time-grid.ts';
import { buildTokenChart, TOKEN_DIRECTION_DASH, type TokenChart } from '../lib/token-chart.ts';
import { LegendTable } from './LegendTable.tsx';
import { Panel } from './Panel.tsx';
import { UplotChart } from './UplotChart.tsx';

export interface TokensPanelProps {
  panelId: string;
  title: string;
  /** The grouping dimension in words, for keys such as "(no feature)". */
  dimension: string;
  series: QueryResult<TimeseriesResponse>;
}

/** Input and output tokens per hour, one color per group. */
export function TokensPanel(props: TokensPanelProps): JSX.Element {
  const status = combineQueries(props.series);
  const seriesData = props.series.data;
  const chart = useMemo(
    () =>
      seriesData === undefined
        ? null
        : buildTokenChart(alignTimeseries(seriesData), props.dimension),
    [seriesData, props.dimension],
  );
  const [cursorIndex, setCursorIndex] = useState<number | null>(null);
  const frame = {
    panelId: props.panelId,
    title: props.title,
    description: `Input (solid) and output (dashed) tokens per hour for each ${props.dimension}; input includes cached input, output includes reasoning.`,
  };

  if (status.kind === 'error') {
    return <Panel {...frame} state="error" error={status.error} />;
  }
  if (status.kind === 'loading' || chart === null) {
    return <Panel {...frame} state="loading" />;
  }
  if (chart.groups.length === 0 || chart.totalInputTokens + chart.totalOutputTokens === 0) {
    return <Panel {...frame} state="empty" emptyMessage="No tokens reported in this time range." />;
  }
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value">
            {formatCompact(chart.totalInputTokens)} / {formatCompact(chart.totalOutputTokens)}
          </span>
          <span class="headline-label">input / output tokens in window</span>
        </>
      }
      seriesCount={chart.groups.length}
      pointCount={chart.columns[0].length}
    >
      <UplotChart
        columns={chart.columns}
        series={chart.series}
        formatValue={formatCompact}
        heightPx={220}
        onCursorIndex={setCursorIndex}
      />
      <LegendTable
        caption={
          cursorIndex === null
            ? 'Tokens in the whole window'
            : `Tokens per hour, ${cursorCaption(chart.columns[0], cursorIndex).toLowerCase()}`
        }
        columns={[
          { label: 'input', dash: [...TOKEN_DIRECTION_DASH.input] },
          { label: 'output', dash: [...TOKEN_DIRECTION_DASH.output] },
        ]}
        rows={tokenLegendRows(chart, cursorIndex)}
      />
    </Panel>
  );
}

function tokenLegendRows(chart: TokenChart, cursorIndex: number | null) {
  return chart.groups.map((group, groupIndex) => {
    const values =
      cursorIndex === null
        ? [group.inputTokens, group.outputTokens]
        : [
            valueAt(chart.columns[1 + groupIndex * 2], cursorIndex),
            valueAt(chart.columns[2 + groupIndex * 2], cursorIndex),
          ];
    return {
      key: group.label,
      label: group.label,
      color: group.color,
      values: values.map(formatCompact),
    };
  });
}
