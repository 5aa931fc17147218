/**
 * Fits a least-squares line through the non-null points and returns its value at each x
 * from the first to the last non-null point, and null outside that span. Returns all nulls
 * when fewer than two points exist, since one point defines no slope.
 */
export function leastSquaresTrend(xs: number[], ys: (number | null)[]): (number | null)[] {
  const pairs = xs.flatMap((x, index) => {
    const y = ys[index];
    return y === null || y === undefined ? [] : [{ x, y }];
  });
  if (pairs.length < 2) {
    return xs.map(() => null);
  }
  const meanX = pairs.reduce((total, pair) => total + pair.x, 0) / pairs.length;
  const meanY = pairs.reduce((total, pair) => total + pair.y, 0) / pairs.length;
  let covariance = 0;
  let varianceX = 0;
  for (const { x, y } of pairs) {
    covariance += (x - meanX) * (y - meanY);
    varianceX += (x - meanX) ** 2;
  }
  const slope = varianceX === 0 ? 0 : covariance / varianceX;
  const firstX = pairs[0]?.x ?? 0;
  const lastX = pairs.at(-1)?.x ?? 0;
  return xs.map((x) => (x < firstX || x > lastX ? null : meanY + slope * (x - meanX)));
}
