/** Drawing style and label of one chart line. */
export interface ChartSeries {
  label: string;
  color: string;
  /** Canvas dash pattern in pixels; empty for a solid line. */
  dash: number[];
  widthPx: number;
  /** Fills the area under the line with a translucent copy of `color`. */
  fill?: boolean;
  /** Draws the line across buckets without a value instead of breaking it. */
  spanGaps?: boolean;
}

/** Data in uPlot's column layout: the x values (Unix ms), then one y column per series. */
export type ChartColumns = [number[], ...(number | null)[][]];

/** Line styles that distinguish percentiles, while colors distinguish models. */
export const PERCENTILE_STYLES = {
  p50: { dash: [], widthPx: 1.5 },
  p95: { dash: [10, 5], widthPx: 2 },
  p99: { dash: [2, 4], widthPx: 2.5 },
} as const;

export const TREND_DASH = [6, 6];
export const TREND_COLOR = '#e6edf3';

/** Returns a string that changes when the drawn series change, so the chart is rebuilt. */
export function seriesSignature(series: ChartSeries[]): string {
  return series
    .map(
      (item) =>
        `${item.label}|${item.color}|${item.dash.join(',')}|${item.widthPx}|${item.fill === true}|${item.spanGaps === true}`,
    )
    .join(';');
}
