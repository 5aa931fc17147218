import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { SERIES_COLORS } from './series-colors.ts';

export interface StepSeries {
  label: string;
  /** Points as [step, value], in any order. */
  points: [number, number][];
}

export interface StepChartProps {
  title: string;
  series: StepSeries[];
  heightPx: number;
}

/** Aligns series on the union of their steps, with null where a run has no point at a step. */
export function alignSteps(series: StepSeries[]): uPlot.AlignedData {
  const steps = [...new Set(series.flatMap((item) => item.points.map(([step]) => step)))].sort(
    (a, b) => a - b,
  );
  const columns = series.map((item) => {
    const byStep = new Map(item.points);
    return steps.map((step) => byStep.get(step) ?? null);
  });
  return [steps, ...columns];
}

function chartOptions(props: StepChartProps, widthPx: number): uPlot.Options {
  return {
    width: Math.max(widthPx, 200),
    height: props.heightPx,
    scales: { x: { time: false } },
    axes: [
      { stroke: '#8b949e', grid: { stroke: 'rgba(240, 246, 252, 0.08)' }, label: 'step' },
      { stroke: '#8b949e', grid: { stroke: 'rgba(240, 246, 252, 0.08)' }, size: 60 },
    ],
    series: [
      { label: 'step' },
      ...props.series.map((item, index) => ({
        label: item.label,
        stroke: SERIES_COLORS[index % SERIES_COLORS.length],
        width: 1.5,
        spanGaps: true,
        points: { show: true, size: 4 },
      })),
    ],
  };
}

/** Draws one metric of several runs against the step, one line per run. */
export function StepChart(props: StepChartProps): JSX.Element {
  const containerRef = useRef<HTMLDivElement>(null);
  const signature = JSON.stringify(props.series);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return undefined;
    const plot = new uPlot(
      chartOptions(props, container.clientWidth),
      alignSteps(props.series),
      container,
    );
    return () => plot.destroy();
  }, [signature, props.heightPx]);

  return (
    <figure class="step-chart" data-metric={props.title}>
      <figcaption>{props.title}</figcaption>
      <div ref={containerRef} />
    </figure>
  );
}
