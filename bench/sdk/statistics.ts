export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Returns the mean of the values left after dropping `fraction` of them at
 * each end. Unlike the median, it still counts the rounds in which a garbage
 * collection landed, in proportion to how often that happens.
 */
export function trimmedMean(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const dropped = Math.floor(sorted.length * fraction);
  const trimmed = sorted.slice(dropped, sorted.length - dropped);
  return trimmed.reduce((sum, value) => sum + value, 0) / trimmed.length;
}

/**
 * Returns a distribution-free 95 % confidence interval of the median: two
 * order statistics whose ranks come from the normal approximation of the
 * binomial distribution. Meant for 30 values or more.
 */
export function medianInterval(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const count = sorted.length;
  const halfWidth = 0.98 * Math.sqrt(count);
  const low = Math.max(0, Math.floor(count / 2 - halfWidth) - 1);
  const high = Math.min(count - 1, Math.ceil(count / 2 + halfWidth));
  return [sorted[low]!, sorted[high]!];
}
