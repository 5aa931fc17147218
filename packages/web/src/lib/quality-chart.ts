import type { ScoreSummaryResponse, ScoreTimeseriesResponse } from '../api/types.ts';
import type { ChartColumns, ChartSeries } from './chart-series.ts';
import { seriesColor } from './colors.ts';
import { buildTimeGridMs } from './time-grid.ts';

/** Standard deviations around the baseline mean that the drift band spans. */
export const DRIFT_BAND_STDDEVS = 2;
/** The baseline is the week before the window. */
export const BASELINE_WINDOW_MS = 7 * 24 * 3_600_000;

export type DriftState = 'in-band' | 'above' | 'below' | 'no-baseline' | 'no-data';

/** One numeric score name: its recent mean and where that sits against the band. */
export interface QualityRow {
  name: string;
  color: string;
  windowMean: number | null;
  count: number;
  latestMean: number | null;
  band: { low: number; high: number; mean: number } | null;
  drift: DriftState;
}

export interface QualityChart {
  columns: ChartColumns;
  series: ChartSeries[];
  rows: QualityRow[];
}

function driftOf(latestMean: number | null, band: QualityRow['band']): DriftState {
  if (latestMean === null) return 'no-data';
  if (band === null) return 'no-baseline';
  if (latestMean > band.high) return 'above';
  return latestMean < band.low ? 'below' : 'in-band';
}

function bandOf(baseline: ScoreSummaryResponse, name: string): QualityRow['band'] {
  const group = baseline.groups.find((candidate) => candidate.name === name);
  if (group === undefined || group.mean === null || group.count < 2) return null;
  const spread = DRIFT_BAND_STDDEVS * (group.stddev ?? 0);
  return { mean: group.mean, low: group.mean - spread, high: group.mean + spread };
}

/**
 * Builds one line per numeric score name with two dashed lines for its drift band, the
 * baseline mean ± 2 standard deviations. Categorical scores have no mean and are left out.
 */
export function buildQualityChart(
  series: ScoreTimeseriesResponse,
  baseline: ScoreSummaryResponse,
): QualityChart {
  const timesMs = buildTimeGridMs(series);
  const columns: ChartColumns = [timesMs];
  const chartSeries: ChartSeries[] = [];
  const numeric = series.series
    .filter((item) => item.points.some((point) => point.mean !== null))
    .sort((a, b) => a.name.localeCompare(b.name));
  const rows = numeric.map((item, position): QualityRow => {
    const color = seriesColor(position);
    const byTime = new Map(item.points.map((point) => [point.t, point]));
    const band = bandOf(baseline, item.name);
    columns.push(timesMs.map((timeMs) => byTime.get(timeMs)?.mean ?? null));
    chartSeries.push({ label: item.name, color, dash: [], widthPx: 2, spanGaps: true });
    for (const edge of ['low', 'high'] as const) {
      columns.push(timesMs.map(() => band?.[edge] ?? null));
      chartSeries.push({ label: `${item.name} band ${edge}`, color, dash: [3, 5], widthPx: 1 });
    }
    const count = item.points.reduce((total, point) => total + point.count, 0);
    const weighted = item.points.reduce(
      (total, point) => total + (point.mean ?? 0) * point.count,
      0,
    );
    const latest = [...item.points].reverse().find((point) => point.mean !== null);
    return {
      name: item.name,
      color,
      windowMean: count > 0 ? weighted / count : null,
      count,
      latestMean: latest?.mean ?? null,
      band,
      drift: driftOf(latest?.mean ?? null, band),
    };
  });
  return { columns, series: chartSeries, rows };
}
