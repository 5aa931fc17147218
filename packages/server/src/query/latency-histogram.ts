import {
  exponentialToExplicit,
  isCoarse,
  type MergedHistogram,
} from '../metrics/histogram-quantile.ts';
import type { ExponentialBuckets } from '../metrics/metric-point.ts';
import { ExponentialSum } from './exponential-sum.ts';

/** A point's minimum and maximum; null when the point has none that describes its counts. */
export interface Extremes {
  min: number | null;
  max: number | null;
}

/** A range of milliseconds; an upper end of null is unbounded. */
export type RangeMs = [number, number | null];

/** The latency histogram of one group, merged from all its points. */
export interface MergedLatency {
  histogram: MergedHistogram;
  /**
   * Source buckets wider than the merged buckets inside them. Their counts were spread
   * over those merged buckets by linear interpolation, so percentiles there are no finer
   * than the source bucket.
   */
  approximateRangesMs: RangeMs[];
  /** True when the buckets are too wide for the percentiles to mean much. */
  coarse: boolean;
}

/** Explicit buckets in milliseconds with the extremes of the points added into them. */
interface Source {
  bounds: number[];
  counts: number[];
  extremes: ExtremesTracker;
}

/**
 * The minimum and maximum over the points that report them. Points without extremes are left
 * out, so the result is an estimate when some point lacks them: its calls may lie beyond.
 */
class ExtremesTracker {
  private min: number | null = null;
  private max: number | null = null;

  add(extremes: Extremes): void {
    if (extremes.min !== null)
      this.min = this.min === null ? extremes.min : Math.min(this.min, extremes.min);
    if (extremes.max !== null)
      this.max = this.max === null ? extremes.max : Math.max(this.max, extremes.max);
  }

  merge(other: ExtremesTracker): void {
    this.add(other.value());
  }

  value(): Extremes {
    return { min: this.min, max: this.max };
  }
}

/**
 * Adds duration histograms whose buckets may differ. Exponential points of one unit are
 * summed at a common scale first. Then every histogram is put onto the union of all
 * bounds: a source bucket that covers several union buckets has its count spread over
 * them in proportion to their width, the same linear assumption the percentiles make,
 * and its range is reported as approximate.
 */
export class LatencyHistogram {
  /** Explicit points by unit factor and bounds. */
  private readonly explicit = new Map<string, Source>();
  private readonly exponential = new Map<
    number,
    { sum: ExponentialSum; extremes: ExtremesTracker }
  >();

  /** Adds explicit buckets whose bounds are in the unit that `factor` turns into milliseconds. */
  addExplicit(bounds: number[], counts: number[], factor: number, extremes: Extremes): void {
    // Without bounds nothing is known about how the durations spread.
    if (bounds.length === 0 || !counts.some((count) => count > 0)) return;
    const key = `${factor}\u0000${bounds.join(',')}`;
    let source = this.explicit.get(key);
    if (source === undefined) {
      source = {
        bounds: bounds.map((bound) => bound * factor),
        counts: new Array<number>(bounds.length + 1).fill(0),
        extremes: new ExtremesTracker(),
      };
      this.explicit.set(key, source);
    }
    for (let i = 0; i < source.counts.length; i++) source.counts[i]! += counts[i] ?? 0;
    source.extremes.add(scaleExtremes(extremes, factor));
  }

  addExponential(buckets: ExponentialBuckets, factor: number, extremes: Extremes): void {
    const total = buckets.zeroCount + buckets.positiveCounts.reduce((sum, count) => sum + count, 0);
    if (total === 0) return;
    let entry = this.exponential.get(factor);
    if (entry === undefined) {
      entry = { sum: new ExponentialSum(), extremes: new ExtremesTracker() };
      this.exponential.set(factor, entry);
    }
    entry.sum.add(buckets);
    entry.extremes.add(scaleExtremes(extremes, factor));
  }

  /** Merges everything added; null when no point had a count. */
  merge(): MergedLatency | null {
    const sources = this.sources();
    if (sources.length === 0) return null;
    const union = [...new Set(sources.flatMap((source) => source.bounds))].sort((a, b) => a - b);
    const position = new Map(union.map((bound, index) => [bound, index]));
    const counts = new Array<number>(union.length + 1).fill(0);
    const ranges = new Map<string, RangeMs>();
    const extremes = new ExtremesTracker();
    for (const source of sources) {
      spreadSource(source, union, position, counts, ranges);
      extremes.merge(source.extremes);
    }
    const histogram: MergedHistogram = { bounds: union, counts, ...extremes.value() };
    const approximateRangesMs = [...ranges.values()].sort((a, b) => a[0] - b[0]);
    return {
      histogram,
      approximateRangesMs,
      coarse: isCoarse(rebin(histogram, approximateRangesMs)),
    };
  }

  private sources(): Source[] {
    const sources = [...this.explicit.values()];
    for (const [factor, entry] of this.exponential) {
      const buckets = entry.sum.toBuckets();
      if (buckets === null) continue;
      const explicit = exponentialToExplicit(buckets);
      sources.push({
        bounds: explicit.bounds.map((bound) => bound * factor),
        counts: explicit.counts,
        extremes: entry.extremes,
      });
    }
    return sources;
  }
}

function scaleExtremes(extremes: Extremes, factor: number): Extremes {
  return {
    min: extremes.min === null ? null : extremes.min * factor,
    max: extremes.max === null ? null : extremes.max * factor,
  };
}

/**
 * Adds the counts of `source` to `counts`, which has one bucket per bound of `union` plus
 * the +Inf bucket. The source's bounds are all in `union`, so each source bucket covers a
 * run of union buckets.
 */
function spreadSource(
  source: Source,
  union: number[],
  position: Map<number, number>,
  counts: number[],
  ranges: Map<string, RangeMs>,
): void {
  const { bounds } = source;
  const { min, max } = source.extremes.value();
  for (let j = 0; j <= bounds.length; j++) {
    const count = source.counts[j] ?? 0;
    if (count === 0) continue;
    const first = j === 0 ? 0 : position.get(bounds[j - 1]!)! + 1;
    const last = j < bounds.length ? position.get(bounds[j]!)! : union.length;
    if (first === last) {
      counts[first]! += count;
      continue;
    }
    // The first bucket starts at the minimum (or 0); the +Inf bucket ends at the maximum.
    const lower = j === 0 ? Math.min(min ?? 0, bounds[0] ?? Infinity) : bounds[j - 1]!;
    let upper: number | null = null;
    if (j < bounds.length) upper = bounds[j]!;
    else if (max !== null && max > lower) upper = max;
    const reported: RangeMs = [lower, j < bounds.length ? upper : null];
    ranges.set(reported.join(','), reported);
    spreadCount(count, lower, upper, first, last, union, counts);
  }
}

/** Spreads `count`, uniform over (lower, upper], across union buckets `first` to `last`. */
function spreadCount(
  count: number,
  lower: number,
  upper: number | null,
  first: number,
  last: number,
  union: number[],
  counts: number[],
): void {
  if (upper === null || !(upper > lower) || !Number.isFinite(lower)) {
    // Nothing bounds the source bucket, so its count goes just above its lower end: into the
    // union bucket after it, not up to the largest bound that another source happens to have.
    counts[first]! += count;
    return;
  }
  for (let k = first; k <= last; k++) {
    const bucketLower = k === first ? lower : union[k - 1]!;
    const bucketUpper = k < union.length ? Math.min(union[k]!, upper) : upper;
    const width = Math.max(0, bucketUpper - Math.max(bucketLower, lower));
    counts[k]! += (count * width) / (upper - lower);
  }
}

/** Merges the union buckets inside each approximate range, for judging coarseness. */
function rebin(histogram: MergedHistogram, ranges: readonly RangeMs[]): MergedHistogram {
  const inside = (bound: number): boolean =>
    ranges.some(([lower, upper]) => bound > lower && (upper === null || bound < upper));
  const bounds = histogram.bounds.filter((bound) => !inside(bound));
  const counts = new Array<number>(bounds.length + 1).fill(0);
  let target = 0;
  for (let k = 0; k < histogram.counts.length; k++) {
    const upper = k < histogram.bounds.length ? histogram.bounds[k]! : Infinity;
    while (target < bounds.length && bounds[target]! < upper) target++;
    counts[target]! += histogram.counts[k]!;
  }
  return { ...histogram, bounds, counts };
}
