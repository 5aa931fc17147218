import { seriesColor } from './colors.ts';
import type { ChartColumns, ChartSeries } from './chart-series.ts';
import { keyLabel, orderByLabel } from './series-keys.ts';
import { perHour, type AlignedSeries } from './time-grid.ts';

export const TOKEN_DIRECTION_DASH = { input: [], output: [8, 4] } as const;

export interface TokenChart {
  groups: { label: string; color: string; inputTokens: number; outputTokens: number }[];
  columns: ChartColumns;
  series: ChartSeries[];
  totalInputTokens: number;
  totalOutputTokens: number;
}

/** Builds input and output tokens per hour for each group; buckets without calls count zero. */
export function buildTokenChart(aligned: AlignedSeries, dimension: string): TokenChart {
  const labels = aligned.keys.map((key) => keyLabel(key, dimension));
  const columns: ChartColumns = [aligned.timesMs];
  const series: ChartSeries[] = [];
  const groups = orderByLabel(labels).map((seriesIndex, position) => {
    const color = seriesColor(position);
    const row = aligned.points[seriesIndex] ?? [];
    const label = labels[seriesIndex] ?? '';
    columns.push(row.map((point) => perHour(point?.tokens.input ?? 0, aligned.stepMs)));
    columns.push(row.map((point) => perHour(point?.tokens.output ?? 0, aligned.stepMs)));
    series.push({ label: `${label} input`, color, dash: [], widthPx: 2 });
    series.push({
      label: `${label} output`,
      color,
      dash: [...TOKEN_DIRECTION_DASH.output],
      widthPx: 2,
    });
    return {
      label,
      color,
      inputTokens: row.reduce((total, point) => total + (point?.tokens.input ?? 0), 0),
      outputTokens: row.reduce((total, point) => total + (point?.tokens.output ?? 0), 0),
    };
  });
  return {
    groups,
    columns,
    series,
    totalInputTokens: groups.reduce((total, group) => total + group.inputTokens, 0),
    totalOutputTokens: groups.reduce((total, group) => total + group.outputTokens, 0),
  };
}
