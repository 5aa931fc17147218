import type uPlot from 'uplot';
import type { ChartSeries } from './chart-series.ts';

const AXIS_COLOR = '#8b949e';
const GRID_COLOR = 'rgba(240, 246, 252, 0.08)';
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';

export interface ChartOptionsInput {
  series: ChartSeries[];
  formatValue: (value: number) => string;
  widthPx: number;
  heightPx: number;
  onCursorIndex: (index: number | null) => void;
}

/**
 * Builds uPlot options for a dark time-series chart with x in Unix milliseconds. The
 * built-in legend is off because the panels draw their own legend as a table.
 */
export function buildChartOptions(input: ChartOptionsInput): uPlot.Options {
  return {
    width: Math.max(input.widthPx, 200),
    height: input.heightPx,
    ms: 1,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: { x: { time: true }, y: { range: yRangeFromZero } },
    axes: [
      {
        stroke: AXIS_COLOR,
        font: AXIS_FONT,
        grid: { stroke: GRID_COLOR },
        ticks: { stroke: GRID_COLOR },
      },
      {
        stroke: AXIS_COLOR,
        font: AXIS_FONT,
        size: 70,
        grid: { stroke: GRID_COLOR },
        ticks: { stroke: GRID_COLOR },
        values: (_plot, splits) => splits.map((value) => input.formatValue(value)),
      },
    ],
    series: [{}, ...input.series.map(toUplotSeries)],
    hooks: {
      setCursor: [(plot) => input.onCursorIndex(plot.cursor.idx ?? null)],
    },
  };
}

function toUplotSeries(series: ChartSeries): uPlot.Series {
  return {
    label: series.label,
    stroke: series.color,
    width: series.widthPx,
    dash: series.dash,
    fill: series.fill === true ? `${series.color}33` : undefined,
    spanGaps: series.spanGaps === true,
    points: { show: false },
  };
}

/** Keeps zero on the y axis and leaves 10% headroom, so small changes do not look huge. */
function yRangeFromZero(
  _plot: uPlot,
  dataMin: number | null,
  dataMax: number | null,
): uPlot.Range.MinMax {
  const minValue = Math.min(0, dataMin ?? 0);
  const maxValue = Math.max(dataMax ?? 0, minValue);
  return [minValue, maxValue === minValue ? minValue + 1 : maxValue * 1.1];
}
