import { subtractExponential } from './exponential-buckets.ts';
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

/** Undoes the changes behind one drained batch of states, keyed by the array `drainTouched` returned. */
const pendingRollbacks = new WeakMap<object, () => void>();

/**
 * Reports to the converter whose `drainTouched` returned `states` whether the points converted
 * with them were committed. On `false` the converter undoes its changes for those points, so a
 * resend converts as the first send would have. A store calls this once per write. Arrays that
 * no converter returned are ignored.
 */
export function settleSeriesStates(
  states: readonly [string, SeriesState][],
  committed: boolean,
): void {
  const rollback = pendingRollbacks.get(states);
  if (rollback === undefined) return;
  pendingRollbacks.delete(states);
  if (!committed) rollback();
}

/**
 * Converts cumulative points to increases. A series seen for the first time
 * counts in full only if it started after this converter did (its whole value
 * happened while Foghorn listened); otherwise it becomes the baseline and
 * contributes nothing. A new start time or a decreasing value is a reset: the
 * point's full value is the increase since the restart.
 *
 * Changes apply at once, and `settleSeriesStates` undoes those of a write that failed.
 * NOTE: when a second request converts points of the same series before the first one's
 * write fails, the second keeps its increase relative to the undone point, so the increase
 * up to that point is lost.
 */
export class CumulativeToDelta {
  private readonly series = new Map<string, SeriesState>();
  private readonly touched = new Map<string, SeriesState>();
  private undoSteps: (() => void)[] = [];

  constructor(private readonly startedAtUnixNano: bigint) {}

  restore(key: string, state: SeriesState): void {
    this.series.set(key, state);
  }

  /**
   * Returns the states changed since the last call, to be saved with the points, and passes
   * the batch to `settleSeriesStates` for the store to confirm or undo.
   */
  drainTouched(): [string, SeriesState][] {
    const changed = [...this.touched];
    const undoSteps = this.undoSteps;
    pendingRollbacks.set(changed, () => {
      for (let i = undoSteps.length - 1; i >= 0; i--) undoSteps[i]!();
    });
    this.touched.clear();
    this.undoSteps = [];
    return changed;
  }

  /** Returns the increase of `current` since the last point of series `key`. */
  convert(key: string, current: SeriesState): DeltaResult {
    const previous = this.series.get(key);
    if (previous !== undefined && current.timeUnixNano <= previous.timeUnixNano) {
      // A repeated or out-of-order point adds nothing and keeps the newer state.
      return zeroValue(current);
    }
    this.change(this.series, key, current);
    this.touched.set(key, current);
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

  /** Sets or deletes one entry and records how to undo that, unless a later change replaced it. */
  private change<T>(map: Map<string, T>, key: string, value: T | undefined): void {
    const before = map.get(key);
    if (value === undefined) map.delete(key);
    else map.set(key, value);
    this.undoSteps.push(() => {
      if (map.get(key) !== value) return;
      if (before === undefined) map.delete(key);
      else map.set(key, before);
    });
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
