import type { ExponentialBuckets } from './metric-point.ts';

/** Cumulative-free bucket counts over explicit upper bounds; the last count is the +Inf bucket. */
export interface MergedHistogram {
  bounds: number[];
  counts: number[];
  min: number | null;
  max: number | null;
}

/**
 * Interpolates the q-quantile linearly inside the bucket that contains it, as
 * Prometheus' histogram_quantile does. The first bucket starts at the observed
 * minimum (or 0), and a quantile in the +Inf bucket returns the observed maximum
 * (or the largest finite bound). Returns null for an empty histogram.
 */
export function histogramQuantile(q: number, histogram: MergedHistogram): number | null {
  const total = histogram.counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    const count = histogram.counts[i]!;
    if (cumulative + count < rank || count === 0) {
      cumulative += count;
      continue;
    }
    const lastFinite = histogram.bounds[histogram.bounds.length - 1] ?? 0;
    if (i >= histogram.bounds.length) return histogram.max ?? lastFinite;
    const upper = histogram.bounds[i]!;
    const lower = i === 0 ? Math.min(histogram.min ?? 0, upper) : histogram.bounds[i - 1]!;
    const estimate = lower + (upper - lower) * ((rank - cumulative) / count);
    return histogram.max === null ? estimate : Math.min(estimate, histogram.max);
  }
  return histogram.max ?? histogram.bounds[histogram.bounds.length - 1] ?? null;
}

/** Returns base^index, the lower boundary of exponential bucket `index`, base = 2^(2^-scale). */
export function exponentialBoundary(scale: number, index: number): number {
  return 2 ** (index * 2 ** -scale);
}

/**
 * Turns the positive and zero buckets of an exponential histogram into explicit ones.
 * Bucket `offset + i` covers (base^(offset+i), base^(offset+i+1)], base = 2^(2^-scale), so
 * the bounds start at base^offset behind an empty bucket, and the first populated bucket is
 * interpolated from base^offset. A zero count gets its own bucket with upper bound 0 in front.
 */
export function exponentialToExplicit(buckets: ExponentialBuckets): {
  bounds: number[];
  counts: number[];
} {
  const bounds: number[] = [];
  const counts: number[] = [];
  if (buckets.zeroCount > 0) {
    bounds.push(0);
    counts.push(buckets.zeroCount);
  }
  bounds.push(exponentialBoundary(buckets.scale, buckets.positiveOffset));
  counts.push(0);
  for (let i = 0; i < buckets.positiveCounts.length; i++) {
    bounds.push(exponentialBoundary(buckets.scale, buckets.positiveOffset + i + 1));
    counts.push(buckets.positiveCounts[i]!);
  }
  counts.push(0);
  return { bounds, counts };
}

/**
 * True when the buckets cannot tell percentiles apart: the bucket holding the
 * median also contains the 95th percentile and spans more than a factor of two.
 */
export function isCoarse(histogram: MergedHistogram): boolean {
  const total = histogram.counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return false;
  const bucketOf = (q: number): number => {
    let cumulative = 0;
    for (let i = 0; i < histogram.counts.length; i++) {
      cumulative += histogram.counts[i]!;
      if (cumulative >= q * total) return i;
    }
    return histogram.counts.length - 1;
  };
  const median = bucketOf(0.5);
  if (median !== bucketOf(0.95)) return false;
  if (median >= histogram.bounds.length) return true;
  const upper = histogram.bounds[median]!;
  const lower = median === 0 ? 0 : histogram.bounds[median - 1]!;
  return lower === 0 ? upper > 0 : upper / lower > 2;
}
