import type {
  OtlpExponentialHistogramBuckets,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpNumberDataPoint,
} from './otlp-model.ts';

/** The scale range of `ExponentialHistogramDataPoint` in the OTLP metrics proto. */
const MIN_EXPONENTIAL_SCALE = -10;
const MAX_EXPONENTIAL_SCALE = 20;
/** Base-2 exponents of the smallest positive double (2^-1074) and of the first value past the largest (2^1024). */
const MIN_DOUBLE_EXPONENT = -1074;
const MAX_DOUBLE_EXPONENT = 1024;

function describeNonFinite(field: string, value: number | null): string {
  if (value === null || Number.isFinite(value)) return '';
  return `${field} ${value} is not a finite number; send a finite value`;
}

function sumOf(counts: readonly number[]): number {
  let total = 0;
  for (const count of counts) total += count;
  return total;
}

/** Returns why the value of a gauge or sum point is invalid, or '' when it is valid. */
export function describeNumberValueProblem(point: OtlpNumberDataPoint, monotonic: boolean): string {
  const field = point.asInt === null ? 'asDouble' : 'asInt';
  const value = point.asInt ?? point.asDouble;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return (
      `asDouble ${value} is not a finite number; send a finite value, or set flags to ` +
      'FLAG_NO_RECORDED_VALUE (1) for a point without a value'
    );
  }
  if (monotonic && value !== null && value < 0) {
    return (
      `${field} ${value} is negative, but a monotonic sum never decreases; send the ` +
      'non-negative increase, or set isMonotonic to false for a sum that can decrease'
    );
  }
  return '';
}

function describeBoundsProblem(bounds: readonly number[]): string {
  for (let i = 0; i < bounds.length; i++) {
    if (Number.isNaN(bounds[i])) {
      return `explicitBounds[${i}] NaN is not a number; send numeric bounds in increasing order`;
    }
    if (!Number.isFinite(bounds[i])) {
      return `explicitBounds[${i}] ${bounds[i]} is not finite; send finite bounds in increasing order`;
    }
    if (i > 0 && bounds[i]! <= bounds[i - 1]!) {
      return (
        `explicitBounds[${i}] ${bounds[i]} is not greater than explicitBounds[${i - 1}] ` +
        `${bounds[i - 1]}; send strictly increasing bounds`
      );
    }
  }
  return '';
}

/** Returns why `count` differs from `total`, the sum of the bucket counts, or '' when they agree. */
function describeCountProblem(count: number, total: number, parts: string): string {
  // Counts above 2^53 were rounded when decoded, so their sum may differ from `count` by rounding.
  if (total === count || total > Number.MAX_SAFE_INTEGER) return '';
  return `count ${count} is not the sum of ${parts}, ${total}; send the count of all recorded values`;
}

/**
 * Drops a last bound of +Infinity, which a histogram with user-set boundaries can carry, and
 * adds the count above it, which can only be 0, to the bucket below it, which reaches +Infinity.
 */
function foldInfiniteLastBound(point: OtlpHistogramDataPoint): void {
  const { bucketCounts, explicitBounds } = point;
  if (explicitBounds.at(-1) !== Number.POSITIVE_INFINITY) return;
  if (bucketCounts.length !== explicitBounds.length + 1) return;
  explicitBounds.pop();
  const above = bucketCounts.pop()!;
  bucketCounts[bucketCounts.length - 1]! += above;
}

/**
 * Returns why the values of a histogram point are invalid, or '' when they are valid. A last
 * bound of +Infinity is dropped first.
 */
export function describeHistogramProblem(point: OtlpHistogramDataPoint): string {
  foldInfiniteLastBound(point);
  const { bucketCounts, explicitBounds } = point;
  const boundsProblem = describeBoundsProblem(explicitBounds);
  if (boundsProblem !== '') return boundsProblem;
  // OTLP allows a histogram with neither bucket counts nor bounds, which carries only count and sum.
  const bucketed = bucketCounts.length > 0 || explicitBounds.length > 0;
  if (bucketed && bucketCounts.length !== explicitBounds.length + 1) {
    return (
      `bucketCounts has ${bucketCounts.length} counts for ${explicitBounds.length} explicitBounds; ` +
      `send ${explicitBounds.length + 1} counts, one per bucket including the one above the last bound`
    );
  }
  return (
    (bucketed ? describeCountProblem(point.count, sumOf(bucketCounts), 'bucketCounts') : '') ||
    describeNonFinite('sum', point.sum) ||
    describeNonFinite('min', point.min) ||
    describeNonFinite('max', point.max)
  );
}

/**
 * Returns why the buckets of one side cannot be placed, or '' when they can. At scale s,
 * bucket i covers (2^(i / 2^s), 2^((i + 1) / 2^s)], which must overlap the positive doubles.
 */
function describeOffsetProblem(
  field: 'positive' | 'negative',
  buckets: OtlpExponentialHistogramBuckets,
  scale: number,
): string {
  if (buckets.bucketCounts.length === 0) return '';
  const bucketsPerPowerOfTwo = 2 ** scale;
  const firstUpperExponent = (buckets.offset + 1) / bucketsPerPowerOfTwo;
  const lastLowerExponent =
    (buckets.offset + buckets.bucketCounts.length - 1) / bucketsPerPowerOfTwo;
  if (firstUpperExponent >= MIN_DOUBLE_EXPONENT && lastLowerExponent < MAX_DOUBLE_EXPONENT)
    return '';
  return (
    `${field}.offset ${buckets.offset} with ${buckets.bucketCounts.length} buckets at scale ` +
    `${scale} places buckets outside the range of doubles (2^${MIN_DOUBLE_EXPONENT} to ` +
    `2^${MAX_DOUBLE_EXPONENT}); send the index of the first bucket, ceil(log2(value) x 2^scale) - 1`
  );
}

/** Returns why the values of an exponential histogram point are invalid, or '' when they are valid. */
export function describeExponentialHistogramProblem(
  point: OtlpExponentialHistogramDataPoint,
): string {
  const { scale, positive, negative } = point;
  if (scale < MIN_EXPONENTIAL_SCALE || scale > MAX_EXPONENTIAL_SCALE) {
    return (
      `scale ${scale} is outside ${MIN_EXPONENTIAL_SCALE} to ${MAX_EXPONENTIAL_SCALE}, the range ` +
      'of the OTLP metrics proto; send a scale in that range'
    );
  }
  const total = point.zeroCount + sumOf(positive.bucketCounts) + sumOf(negative.bucketCounts);
  return (
    describeOffsetProblem('positive', positive, scale) ||
    describeOffsetProblem('negative', negative, scale) ||
    describeCountProblem(
      point.count,
      total,
      'zeroCount and the positive and negative bucketCounts',
    ) ||
    describeNonFinite('zeroThreshold', point.zeroThreshold) ||
    describeNonFinite('sum', point.sum) ||
    describeNonFinite('min', point.min) ||
    describeNonFinite('max', point.max)
  );
}
