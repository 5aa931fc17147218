import type { InflightResponse, TtftResponse } from '../api/types.ts';
import type { ChartColumns, ChartSeries } from './chart-series.ts';
import { PERCENTILE_STYLES } from './chart-series.ts';
import { seriesColor } from './colors.ts';
import { keyLabel, orderByLabel } from './series-keys.ts';
import { buildTimeGridMs } from './time-grid.ts';

export interface InflightChart {
  columns: ChartColumns;
  series: ChartSeries[];
  peak: number;
}

/** Builds the in-flight line; buckets without calls are zero. */
export function buildInflightChart(response: InflightResponse): InflightChart {
  const timesMs = buildTimeGridMs({ ...response, series: [{ points: response.points }] });
  const byTime = new Map(response.points.map((point) => [point.t, point.inflight]));
  const values = timesMs.map((timeMs) => byTime.get(timeMs) ?? 0);
  return {
    columns: [timesMs, values],
    series: [{ label: 'in flight', color: seriesColor(0), dash: [], widthPx: 2, fill: true }],
    peak: Math.max(0, ...values),
  };
}

export interface TtftChart {
  models: string[];
  colors: string[];
  columns: ChartColumns;
  series: ChartSeries[];
  /** p95 over the buckets' p95 values per model, as a headline. */
  worstP95Ms: number | null;
}

/** Builds p50 (solid) and p95 (dashed) time-to-first-token lines per model. */
export function buildTtftChart(response: TtftResponse): TtftChart {
  const timesMs = buildTimeGridMs(response);
  const labels = response.series.map((item) => keyLabel(item.key, 'model'));
  const order = orderByLabel(labels);
  const columns: ChartColumns = [timesMs];
  const series: ChartSeries[] = [];
  let worstP95Ms: number | null = null;
  order.forEach((seriesIndex, position) => {
    const item = response.series[seriesIndex];
    const byTime = new Map((item?.points ?? []).map((point) => [point.t, point]));
    for (const percentile of ['p50', 'p95'] as const) {
      const style = PERCENTILE_STYLES[percentile];
      columns.push(timesMs.map((timeMs) => byTime.get(timeMs)?.[percentile] ?? null));
      series.push({
        label: `${labels[seriesIndex] ?? ''} ${percentile}`,
        color: seriesColor(position),
        dash: [...style.dash],
        widthPx: style.widthPx,
        spanGaps: true,
      });
    }
    for (const point of item?.points ?? []) {
      if (point.p95 !== null && (worstP95Ms === null || point.p95 > worstP95Ms))
        worstP95Ms = point.p95;
    }
  });
  return {
    models: order.map((index) => labels[index] ?? ''),
    colors: order.map((_, position) => seriesColor(position)),
    columns,
    series,
    worstP95Ms,
  };
}
