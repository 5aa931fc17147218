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
 * Returns a distribution-free 95 % confidence interval of the median: the
 * values of ranks r and n + 1 - r, with r from exact binomial probabilities.
 * Needs at least 6 values, because no pair of ranks reaches 95 % below that.
 */
export function medianInterval(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const count = sorted.length;
  const rank = medianIntervalRank(count);
  if (rank === 0)
    throw new Error(`a 95 % interval of the median needs 6 values or more, got ${count}`);
  return [sorted[rank - 1]!, sorted[count - rank]!];
}

/**
 * Returns the largest rank r (from 1) such that twice the probability of at
 * most r - 1 successes in `count` fair coin flips is at most 0.05, or 0 when
 * none is.
 */
function medianIntervalRank(count: number): number {
  // Binomial probabilities in log space, so large counts do not underflow 2^-count.
  const logHalfPower = count * Math.log(0.5);
  let logChoose = 0;
  let cumulative = 0;
  let rank = 0;
  for (let successes = 0; successes < count; successes++) {
    cumulative += Math.exp(logChoose + logHalfPower);
    if (2 * cumulative > 0.05) break;
    rank = successes + 1;
    logChoose += Math.log(count - successes) - Math.log(successes + 1);
  }
  return rank;
}
