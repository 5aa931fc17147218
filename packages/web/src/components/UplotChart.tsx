import { useEffect, useRef } from 'preact/hooks';
import type { JSX } from 'preact';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { seriesSignature, type ChartColumns, type ChartSeries } from '../lib/chart-series.ts';
import { buildChartOptions } from '../lib/chart-options.ts';
import type { ChartThreshold } from '../lib/thresholds.ts';

export interface UplotChartProps {
  columns: ChartColumns;
  series: ChartSeries[];
  formatValue: (value: number) => string;
  heightPx: number;
  /** Called with the bucket index under the mouse, or null when the mouse leaves. */
  onCursorIndex?: (index: number | null) => void;
  /** Alarm thresholds drawn as dashed lines. */
  thresholds?: readonly ChartThreshold[];
  /** Called with the clicked bucket index and the focused series (1-based), if any. */
  onPointClick?: (index: number, seriesIndex: number | null) => void;
}

/** Draws time series with uPlot, rebuilding the plot only when the series set changes. */
export function UplotChart(props: UplotChartProps): JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const cursorCallbackRef = useRef(props.onCursorIndex);
  cursorCallbackRef.current = props.onCursorIndex;
  const clickCallbackRef = useRef(props.onPointClick);
  clickCallbackRef.current = props.onPointClick;
  const thresholdSignature = (props.thresholds ?? [])
    .map((item) => `${item.value}|${item.label}`)
    .join(';');
  const signature = `${seriesSignature(props.series)}#${thresholdSignature}`;

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) {
      return undefined;
    }
    const options = buildChartOptions({
      series: props.series,
      formatValue: props.formatValue,
      widthPx: container.clientWidth,
      heightPx: props.heightPx,
      onCursorIndex: (index) => cursorCallbackRef.current?.(index),
      thresholds: props.thresholds,
      onPointClick: (index, seriesIndex) => clickCallbackRef.current?.(index, seriesIndex),
    });
    const plot = new uPlot(options, props.columns as uPlot.AlignedData, container);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: container.clientWidth, height: props.heightPx });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [signature, props.heightPx]);

  useEffect(() => {
    plotRef.current?.setData(props.columns as uPlot.AlignedData);
  }, [props.columns]);

  return (
    <div
      class={`chart${props.onPointClick === undefined ? '' : ' chart-clickable'}`}
      ref={containerRef}
      data-thresholds={thresholdSignature === '' ? undefined : thresholdSignature}
    />
  );
}
