import { downscaleBuckets } from '../metrics/exponential-buckets.ts';
import type { ExponentialBuckets } from '../metrics/metric-point.ts';

/**
 * Most buckets a sum keeps: the default maximum size of the OpenTelemetry SDKs'
 * base-2 exponential histogram aggregation. Points far apart at a fine scale would
 * otherwise span millions of buckets.
 */
export const MAX_EXPONENTIAL_BUCKETS = 160;

/**
 * Adds exponential histogram points that may differ in scale and offset. Counts are
 * kept at the finest scale every point allows: a finer point is downscaled by merging
 * each run of 2^k buckets into one, which loses no count. Negative buckets are ignored,
 * because durations are never negative.
 */
export class ExponentialSum {
  private scale: number | null = null;
  private zeroCount = 0;
  /** Count per bucket index at `scale`. */
  private counts = new Map<number, number>();

  add(buckets: ExponentialBuckets): void {
    if (this.scale === null || buckets.scale < this.scale) this.downscaleTo(buckets.scale);
    const atScale = downscaleBuckets(buckets, this.scale!);
    this.zeroCount += atScale.zeroCount;
    for (let i = 0; i < atScale.positiveCounts.length; i++) {
      const count = atScale.positiveCounts[i]!;
      if (count === 0) continue;
      const index = atScale.positiveOffset + i;
      this.counts.set(index, (this.counts.get(index) ?? 0) + count);
    }
    this.fitSize();
  }

  /** Returns the sum as one set of exponential buckets, or null when it contains no count. */
  toBuckets(): ExponentialBuckets | null {
    if (this.scale === null || (this.zeroCount === 0 && this.counts.size === 0)) return null;
    const range = this.indexRange();
    const offset = range?.first ?? 0;
    const positiveCounts: number[] = [];
    for (let index = offset; index <= (range?.last ?? -1); index++) {
      positiveCounts.push(this.counts.get(index) ?? 0);
    }
    return {
      scale: this.scale,
      zeroCount: this.zeroCount,
      positiveOffset: offset,
      positiveCounts,
      negativeOffset: 0,
      negativeCounts: [],
    };
  }

  private downscaleTo(scale: number): void {
    if (this.scale !== null) {
      const divisor = 2 ** (this.scale - scale);
      const merged = new Map<number, number>();
      for (const [index, count] of this.counts) {
        const coarser = Math.floor(index / divisor);
        merged.set(coarser, (merged.get(coarser) ?? 0) + count);
      }
      this.counts = merged;
    }
    this.scale = scale;
  }

  /** Downscales until the populated buckets span at most `MAX_EXPONENTIAL_BUCKETS` indexes. */
  private fitSize(): void {
    for (;;) {
      const range = this.indexRange();
      if (range === null || range.last - range.first < MAX_EXPONENTIAL_BUCKETS) return;
      this.downscaleTo(this.scale! - 1);
    }
  }

  private indexRange(): { first: number; last: number } | null {
    let range: { first: number; last: number } | null = null;
    for (const index of this.counts.keys()) {
      if (range === null) range = { first: index, last: index };
      else if (index < range.first) range.first = index;
      else if (index > range.last) range.last = index;
    }
    return range;
  }
}
