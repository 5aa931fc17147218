import { seriesColor } from './colors.ts';
import { PERCENTILE_STYLES, type ChartColumns, type ChartSeries } from './chart-series.ts';
import { keyLabel, orderByLabel } from './series-keys.ts';
import type { TimeseriesPoint } from '../api/types.ts';
import type { AlignedSeries } from './time-grid.ts';

export const PERCENTILES = ['p50', 'p95', 'p99'] as const;
export type Percentile = (typeof PERCENTILES)[number];

export interface LatencyChart {
  /** Model labels in drawing order; model `m` owns series `m * 3` to `m * 3 + 2`. */
  models: string[];
  colors: string[];
  columns: ChartColumns;
  series: ChartSeries[];
}

/**
 * Builds one line per model and percentile. A bucket without calls of a model has no
 * latency, so the line connects the buckets around it.
 */
export function buildLatencyChart(aligned: AlignedSeries): LatencyChart {
  const labels = aligned.keys.map((key) => keyLabel(key, 'model'));
  const order = orderByLabel(labels);
  const columns: ChartColumns = [aligned.timesMs];
  const series: ChartSeries[] = [];

  order.forEach((seriesIndex, position) => {
    const color = seriesColor(position);
    const row = aligned.points[seriesIndex] ?? [];
    for (const percentile of PERCENTILES) {
      const style = PERCENTILE_STYLES[percentile];
      columns.push(row.map((point) => percentileOf(point, percentile)));
      series.push({
        label: `${labels[seriesIndex] ?? ''} ${percentile}`,
        color,
        dash: [...style.dash],
        widthPx: style.widthPx,
        spanGaps: true,
      });
    }
  });

  return {
    models: order.map((index) => labels[index] ?? ''),
    colors: order.map((_, position) => seriesColor(position)),
    columns,
    series,
  };
}

function percentileOf(point: TimeseriesPoint | undefined, percentile: Percentile): number | null {
  return point !== undefined && point.requests > 0 ? point.latencyMs[percentile] : null;
}
