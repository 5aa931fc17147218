import type uPlot from 'uplot';
import type { ChartSeries } from './chart-series.ts';
import type { ChartThreshold } from './thresholds.ts';

const AXIS_COLOR = '#8b949e';
const GRID_COLOR = 'rgba(240, 246, 252, 0.08)';
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
const THRESHOLD_COLOR = '#ff7b72';

export interface ChartOptionsInput {
  series: ChartSeries[];
  formatValue: (value: number) => string;
  widthPx: number;
  heightPx: number;
  onCursorIndex: (index: number | null) => void;
  /** Alarm thresholds drawn as dashed lines; the y axis always reaches them. */
  thresholds?: readonly ChartThreshold[];
  /** Called with the bucket index and the focused series (1-based, as uPlot counts) on click. */
  onPointClick?: (index: number, seriesIndex: number | null) => void;
}

/**
 * Builds uPlot options for a dark time-series chart with x in Unix milliseconds. The
 * built-in legend is off because the panels draw their own legend as a table.
 */
export function buildChartOptions(input: ChartOptionsInput): uPlot.Options {
  const thresholds = input.thresholds ?? [];
  let focusedSeries: number | null = null;
  return {
    width: Math.max(input.widthPx, 200),
    height: input.heightPx,
    ms: 1,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 6 }, focus: { prox: 24 } },
    focus: { alpha: 0.4 },
    scales: { x: { time: true }, y: { range: yRangeWith(thresholds) } },
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
      setSeries: [(_plot, seriesIndex) => (focusedSeries = seriesIndex)],
      draw: [(plot) => drawThresholds(plot, thresholds)],
      ready: [
        (plot) =>
          plot.over.addEventListener('click', () => {
            const index = plot.cursor.idx;
            if (index !== null && index !== undefined) {
              input.onPointClick?.(index, focusedSeries);
            }
          }),
      ],
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

/**
 * Keeps zero on the y axis and leaves 10% headroom, so small changes do not look huge.
 * The axis also reaches every threshold, so the distance to an alarm is always visible.
 */
function yRangeWith(thresholds: readonly ChartThreshold[]): uPlot.Range.Function {
  const thresholdMax = Math.max(0, ...thresholds.map((threshold) => threshold.value));
  return (_plot, dataMin, dataMax) => {
    const minValue = Math.min(0, dataMin ?? 0);
    const maxValue = Math.max(dataMax ?? 0, thresholdMax, minValue);
    return [minValue, maxValue === minValue ? minValue + 1 : maxValue * 1.1];
  };
}

function drawThresholds(plot: uPlot, thresholds: readonly ChartThreshold[]): void {
  const context = plot.ctx;
  const ratio = window.devicePixelRatio || 1;
  context.save();
  for (const threshold of thresholds) {
    const y = plot.valToPos(threshold.value, 'y', true);
    context.strokeStyle = THRESHOLD_COLOR;
    context.lineWidth = 1.5 * ratio;
    context.setLineDash([8 * ratio, 4 * ratio]);
    context.beginPath();
    context.moveTo(plot.bbox.left, y);
    context.lineTo(plot.bbox.left + plot.bbox.width, y);
    context.stroke();
    context.fillStyle = THRESHOLD_COLOR;
    context.font = `${12 * ratio}px system-ui, sans-serif`;
    context.textAlign = 'right';
    context.fillText(threshold.label, plot.bbox.left + plot.bbox.width - 4 * ratio, y - 4 * ratio);
  }
  context.restore();
}
