import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { ScoreSummaryResponse, ScoreTimeseriesResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { formatCount } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { buildQualityChart, type DriftState, type QualityRow } from '../lib/quality-chart.ts';
import { Panel } from './Panel.tsx';
import { UplotChart } from './UplotChart.tsx';

export interface QualityPanelProps {
  series: QueryResult<ScoreTimeseriesResponse>;
  baseline: QueryResult<ScoreSummaryResponse>;
}

const TITLE = 'Quality scores';
const DESCRIPTION =
  'Mean of each numeric score per bucket; dashed: the drift band, mean ± 2 standard deviations of the 7 days before the window.';

const EMPTY_MESSAGE =
  'No numeric scores in this time range. Send them with POST /api/v1/scores, for example {"traceId": "…", "name": "helpfulness", "value": 0.8}.';

const DRIFT_TEXT: Readonly<Record<DriftState, string>> = {
  'in-band': 'within band',
  above: 'above band',
  below: 'below band',
  'no-baseline': 'no baseline',
  'no-data': 'no data',
};

function formatScore(value: number | null): string {
  return value === null ? '—' : value.toFixed(Math.abs(value) >= 10 ? 1 : 3);
}

/** Draws quality scores over time with their drift bands. */
export function QualityPanel(props: QualityPanelProps): JSX.Element {
  const status = combineQueries(props.series, props.baseline);
  const chart = useMemo(
    () => (status.kind === 'ready' ? buildQualityChart(status.data[0], status.data[1]) : null),
    [props.series.data, props.baseline.data],
  );
  const frame = { panelId: 'quality', title: TITLE, description: DESCRIPTION };
  if (status.kind !== 'ready' || chart === null) {
    const error = status.kind === 'error' ? status.error : undefined;
    return <Panel {...frame} state={status.kind === 'error' ? 'error' : 'loading'} error={error} />;
  }
  if (chart.rows.length === 0) {
    return <Panel {...frame} state="empty" emptyMessage={EMPTY_MESSAGE} />;
  }
  const drifting = chart.rows.filter((row) => row.drift === 'above' || row.drift === 'below');
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class={`headline-value${drifting.length > 0 ? ' headline-bad' : ''}`}>
            {drifting.length}
          </span>
          <span class="headline-label">of {chart.rows.length} scores outside their band</span>
        </>
      }
      seriesCount={chart.rows.length}
      pointCount={chart.columns[0].length}
    >
      <UplotChart
        columns={chart.columns}
        series={chart.series}
        formatValue={(value) => formatScore(value)}
        heightPx={220}
      />
      <QualityTable rows={chart.rows} />
    </Panel>
  );
}

function QualityTable({ rows }: { rows: QualityRow[] }): JSX.Element {
  return (
    <table class="data-table">
      <thead>
        <tr>
          <th scope="col">Score</th>
          <th scope="col">Scores</th>
          <th scope="col">Mean in window</th>
          <th scope="col">Latest bucket</th>
          <th scope="col">Band (7 days before)</th>
          <th scope="col">Drift</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} data-score={row.name} data-drift={row.drift}>
            <th scope="row">
              <span class="legend-swatch" style={{ background: row.color }} /> {row.name}
            </th>
            <td>{formatCount(row.count)}</td>
            <td>{formatScore(row.windowMean)}</td>
            <td>{formatScore(row.latestMean)}</td>
            <td>
              {row.band === null
                ? '—'
                : `${formatScore(row.band.low)} – ${formatScore(row.band.high)}`}
            </td>
            <td class={row.drift === 'above' || row.drift === 'below' ? 'cell-bad' : undefined}>
              {DRIFT_TEXT[row.drift]}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
