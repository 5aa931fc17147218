import type { TimeseriesPoint, TimeseriesResponse } from '../api/types.ts';

/** Upper bound on buckets drawn, so a tiny step over a long window cannot freeze the page. */
export const MAX_GRID_BUCKETS = 5000;

/** Series aligned on one shared time axis, as uPlot draws them. */
export interface AlignedSeries {
  /** Bucket starts in Unix milliseconds, ascending. */
  timesMs: number[];
  stepMs: number;
  /** One entry per series key; `null` is the key of spans without the dimension. */
  keys: (string | null)[];
  /** `points[s][i]` is series `s` at `timesMs[i]`, or undefined when the server sent no bucket. */
  points: (TimeseriesPoint | undefined)[][];
}

/**
 * Puts every series on one grid of `stepMs` buckets covering the window. Buckets the
 * server left out stay undefined, so each panel decides between a gap and a zero.
 */
export function alignTimeseries(response: TimeseriesResponse): AlignedSeries {
  const timesMs = buildTimeGridMs(response);
  const indexByTime = new Map(timesMs.map((timeMs, index) => [timeMs, index]));
  const points = response.series.map((series) => {
    // A filled array, not `new Array(n)`: `map` skips the holes of a sparse array.
    const row = new Array<TimeseriesPoint | undefined>(timesMs.length).fill(undefined);
    for (const point of series.points) {
      const index = indexByTime.get(point.t);
      if (index !== undefined) {
        row[index] = point;
      }
    }
    return row;
  });
  return {
    timesMs,
    stepMs: response.stepMs,
    keys: response.series.map((series) => series.key),
    points,
  };
}

/** The fields of any bucketed response that the time grid reads. */
export interface BucketedResponse {
  from: string;
  to: string;
  stepMs: number;
  series: { points: { t: number }[] }[];
}

/** Lists bucket starts from the window start to its end, anchored on the buckets the server sent. */
export function buildTimeGridMs(response: BucketedResponse): number[] {
  const observedMs = new Set(response.series.flatMap((series) => series.points.map((p) => p.t)));
  const fromMs = Date.parse(response.from);
  const toMs = Date.parse(response.to);
  const stepMs = response.stepMs;
  if (!(stepMs > 0) || !Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    return [...observedMs].sort((a, b) => a - b);
  }
  const anchorMs = observedMs.size > 0 ? Math.min(...observedMs) : fromMs;
  const firstMs = anchorMs - Math.floor((anchorMs - fromMs) / stepMs) * stepMs;
  const grid = new Set(observedMs);
  for (let timeMs = firstMs; timeMs < toMs && grid.size < MAX_GRID_BUCKETS; timeMs += stepMs) {
    grid.add(timeMs);
  }
  return [...grid].sort((a, b) => a - b);
}

/** Adds up one measure across all series per bucket; missing buckets count as zero. */
export function sumAcrossSeries(
  aligned: AlignedSeries,
  measure: (point: TimeseriesPoint) => number,
): number[] {
  return aligned.timesMs.map((_, index) =>
    aligned.points.reduce((total, row) => {
      const point = row[index];
      return total + (point === undefined ? 0 : measure(point));
    }, 0),
  );
}

/** Converts a per-bucket amount into an hourly rate. */
export function perHour(amount: number, stepMs: number): number {
  return (amount * 3_600_000) / stepMs;
}
