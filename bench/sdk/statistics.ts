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
