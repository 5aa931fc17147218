import type { ExponentialBuckets } from './metric-point.ts';

interface BucketRange {
  offset: number;
  counts: number[];
}

/**
 * Merges the buckets of one range into the buckets of a scale `scaleReduction` lower. At
 * scale s, bucket i covers (base^i, base^(i+1)] with base = 2^(2^-s), so bucket i of scale
 * s lies inside bucket i >> k of scale s - k. The arithmetic shift rounds toward minus
 * infinity, which keeps negative indexes right too.
 */
function downscaleRange(range: BucketRange, scaleReduction: number): BucketRange {
  if (scaleReduction === 0 || range.counts.length === 0) return range;
  const offset = range.offset >> scaleReduction;
  const lastIndex = (range.offset + range.counts.length - 1) >> scaleReduction;
  const counts = new Array<number>(lastIndex - offset + 1).fill(0);
  range.counts.forEach((count, i) => {
    const index = ((range.offset + i) >> scaleReduction) - offset;
    counts[index] = counts[index]! + count;
  });
  return { offset, counts };
}

/** Returns `buckets` at the lower scale `scale`, merging the buckets each new bucket covers. */
export function downscaleBuckets(buckets: ExponentialBuckets, scale: number): ExponentialBuckets {
  const reduction = buckets.scale - scale;
  if (reduction <= 0) return buckets;
  const positive = downscaleRange(
    { offset: buckets.positiveOffset, counts: buckets.positiveCounts },
    reduction,
  );
  const negative = downscaleRange(
    { offset: buckets.negativeOffset, counts: buckets.negativeCounts },
    reduction,
  );
  return {
    scale,
    zeroCount: buckets.zeroCount,
    positiveOffset: positive.offset,
    positiveCounts: positive.counts,
    negativeOffset: negative.offset,
    negativeCounts: negative.counts,
  };
}

/** Returns `current - previous` bucket by bucket, or null when a bucket decreased. */
function subtractRange(current: BucketRange, previous: BucketRange): number[] | null {
  const result = current.counts.slice();
  for (let i = 0; i < previous.counts.length; i++) {
    const index = previous.offset + i - current.offset;
    if (index < 0 || index >= result.length) {
      if (previous.counts[i] !== 0) return null;
      continue;
    }
    result[index] = result[index]! - previous.counts[i]!;
    if (result[index]! < 0) return null;
  }
  return result;
}

/**
 * Returns the increase from `previous` to `current` of one cumulative series, at the lower
 * of the two scales. An SDK lowers the scale of a cumulative series when a value outside its
 * range arrives and keeps the start time, so both points are first brought to that scale.
 * Returns null when a bucket or the zero count decreased, which is a counter reset.
 */
export function subtractExponential(
  current: ExponentialBuckets,
  previous: ExponentialBuckets,
): ExponentialBuckets | null {
  const scale = Math.min(current.scale, previous.scale);
  const later = downscaleBuckets(current, scale);
  const earlier = downscaleBuckets(previous, scale);
  if (later.zeroCount < earlier.zeroCount) return null;
  const positive = subtractRange(
    { offset: later.positiveOffset, counts: later.positiveCounts },
    { offset: earlier.positiveOffset, counts: earlier.positiveCounts },
  );
  const negative = subtractRange(
    { offset: later.negativeOffset, counts: later.negativeCounts },
    { offset: earlier.negativeOffset, counts: earlier.negativeCounts },
  );
  if (positive === null || negative === null) return null;
  return {
    ...later,
    zeroCount: later.zeroCount - earlier.zeroCount,
    positiveCounts: positive,
    negativeCounts: negative,
  };
}
