import type { ExponentialBuckets } from './metric-point.ts';

/** The last cumulative values seen for one series. */
export interface SeriesState {
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value: number;
  count: number;
  sum: number;
  bucketCounts: number[];
  exponential: ExponentialBuckets | null;
}

export interface DeltaResult {
  value: number;
  count: number;
  sum: number;
  bucketCounts: number[];
  exponential: ExponentialBuckets | null;
  reset: boolean;
}

function subtractCounts(current: number[], previous: number[]): number[] | null {
  if (current.length !== previous.length) return null;
  const result: number[] = [];
  for (let i = 0; i < current.length; i++) {
    const delta = current[i]! - previous[i]!;
    if (delta < 0) return null;
    result.push(delta);
  }
  return result;
}

function subtractExponential(
  current: ExponentialBuckets,
  previous: ExponentialBuckets,
): ExponentialBuckets | null {
  if (current.scale !== previous.scale) return null;
  const shift = (
    counts: number[],
    offset: number,
    previousCounts: number[],
    previousOffset: number,
  ): number[] | null => {
    const result = counts.slice();
    for (let i = 0; i < previousCounts.length; i++) {
      const index = previousOffset + i - offset;
      if (index < 0 || index >= result.length) {
        if (previousCounts[i] !== 0) return null;
        continue;
      }
      result[index] = result[index]! - previousCounts[i]!;
      if (result[index]! < 0) return null;
    }
    return result;
  };
  const positive = shift(
    current.positiveCounts,
    current.positiveOffset,
    previous.positiveCounts,
    previous.positiveOffset,
  );
  const negative = shift(
    current.negativeCounts,
    current.negativeOffset,
    previous.negativeCounts,
    previous.negativeOffset,
  );
  if (positive === null || negative === null || current.zeroCount < previous.zeroCount) return null;
  return {
    ...current,
    zeroCount: current.zeroCount - previous.zeroCount,
    positiveCounts: positive,
    negativeCounts: negative,
  };
}

/**
 * Converts cumulative points to increases. A series seen for the first time
 * counts in full only if it started after this converter did (its whole value
 * happened while Foghorn listened); otherwise it becomes the baseline and
 * contributes nothing. A new start time or a decreasing value is a reset: the
 * point's full value is the increase since the restart.
 */
export class CumulativeToDelta {
  private readonly series = new Map<string, SeriesState>();
  private readonly touched = new Set<string>();

  constructor(private readonly startedAtUnixNano: bigint) {}

  restore(key: string, state: SeriesState): void {
    this.series.set(key, state);
  }

  /** Returns the states changed since the last call, to be saved with the points. */
  drainTouched(): [string, SeriesState][] {
    const changed: [string, SeriesState][] = [];
    for (const key of this.touched) changed.push([key, this.series.get(key)!]);
    this.touched.clear();
    return changed;
  }

  convert(key: string, current: SeriesState): DeltaResult {
    const previous = this.series.get(key);
    if (previous !== undefined && current.timeUnixNano <= previous.timeUnixNano) {
      // A repeated or out-of-order point adds nothing and keeps the newer state.
      return {
        value: 0,
        count: 0,
        sum: 0,
        bucketCounts: current.bucketCounts.map(() => 0),
        exponential: null,
        reset: false,
      };
    }
    this.series.set(key, current);
    this.touched.add(key);
    if (previous === undefined) {
      const countsInFull =
        current.startTimeUnixNano > 0n && current.startTimeUnixNano >= this.startedAtUnixNano;
      return countsInFull ? fullValue(current, false) : zeroValue(current);
    }
    const restarted =
      current.startTimeUnixNano !== previous.startTimeUnixNano && current.startTimeUnixNano > 0n;
    const delta = restarted ? null : subtract(current, previous);
    return delta ?? fullValue(current, true);
  }
}

/** Returns the whole of `state` as its increase, as for a new series or a point sent as a delta. */
export function fullValue(state: SeriesState, reset: boolean): DeltaResult {
  return {
    value: state.value,
    count: state.count,
    sum: state.sum,
    bucketCounts: state.bucketCounts,
    exponential: state.exponential,
    reset,
  };
}

function zeroValue(state: SeriesState): DeltaResult {
  return {
    value: 0,
    count: 0,
    sum: 0,
    bucketCounts: state.bucketCounts.map(() => 0),
    exponential: null,
    reset: false,
  };
}

function subtract(current: SeriesState, previous: SeriesState): DeltaResult | null {
  if (current.value < previous.value || current.count < previous.count) return null;
  const bucketCounts = subtractCounts(current.bucketCounts, previous.bucketCounts);
  if (bucketCounts === null) return null;
  let exponential: ExponentialBuckets | null = null;
  if (current.exponential !== null && previous.exponential !== null) {
    exponential = subtractExponential(current.exponential, previous.exponential);
    if (exponential === null) return null;
  }
  return {
    value: current.value - previous.value,
    count: current.count - previous.count,
    sum: current.sum - previous.sum,
    bucketCounts,
    exponential,
    reset: false,
  };
}
