import { describe, expect, it } from 'vitest';
import {
  CumulativeToDelta,
  settleSeriesStates,
  type SeriesState,
} from '../../src/metrics/cumulative-to-delta.ts';
import { downscaleBuckets } from '../../src/metrics/exponential-buckets.ts';
import type { ExponentialBuckets } from '../../src/metrics/metric-point.ts';

const STARTED_NS = 1_000n;

function state(
  startNs: bigint,
  timeNs: bigint,
  value: number,
  buckets: number[] = [],
): SeriesState {
  const count = buckets.reduce((sum, n) => sum + n, 0);
  return {
    startTimeUnixNano: startNs,
    timeUnixNano: timeNs,
    value,
    count,
    sum: value,
    bucketCounts: buckets,
    exponential: null,
  };
}

describe('cumulative to delta', () => {
  it('counts a series that started after the converter in full', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    expect(converter.convert('a', state(2_000n, 3_000n, 7)).value).toBe(7);
  });

  it('takes an older series as a baseline', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    expect(converter.convert('a', state(500n, 3_000n, 100)).value).toBe(0);
    expect(converter.convert('a', state(500n, 4_000n, 130)).value).toBe(30);
  });

  it('subtracts bucket counts', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('h', state(500n, 3_000n, 10, [1, 2, 0]));
    const delta = converter.convert('h', state(500n, 4_000n, 25, [1, 5, 4]));
    expect(delta.bucketCounts).toEqual([0, 3, 4]);
    expect(delta.count).toBe(7);
    expect(delta.sum).toBe(15);
  });

  it('treats a decrease as a counter reset', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('a', state(500n, 3_000n, 100));
    const delta = converter.convert('a', state(500n, 4_000n, 20));
    expect(delta.reset).toBe(true);
    expect(delta.value).toBe(20);
  });

  it('treats a new start time as a restart', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('a', state(500n, 3_000n, 100));
    const delta = converter.convert('a', state(3_500n, 4_000n, 150));
    expect(delta.reset).toBe(true);
    expect(delta.value).toBe(150);
  });

  it('ignores a repeated point', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('a', state(500n, 3_000n, 100));
    expect(converter.convert('a', state(500n, 3_000n, 100)).value).toBe(0);
  });

  it('continues from restored state', () => {
    const first = new CumulativeToDelta(STARTED_NS);
    first.convert('a', state(500n, 3_000n, 100));
    const saved = first.drainTouched();
    expect(saved).toHaveLength(1);
    const second = new CumulativeToDelta(10_000n);
    for (const [key, value] of saved) second.restore(key, value);
    expect(second.convert('a', state(500n, 11_000n, 140)).value).toBe(40);
  });

  it('rolls back a batch whose write failed', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('a', state(500n, 3_000n, 100));
    settleSeriesStates(converter.drainTouched(), true);
    expect(converter.convert('a', state(500n, 4_000n, 150)).value).toBe(50);
    settleSeriesStates(converter.drainTouched(), false);

    expect(converter.convert('a', state(500n, 4_000n, 150)).value).toBe(50);
  });

  it('keeps a later batch when an earlier one fails', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('a', state(500n, 3_000n, 100));
    const failed = converter.drainTouched();
    converter.convert('a', state(500n, 4_000n, 150));
    settleSeriesStates(converter.drainTouched(), true);
    settleSeriesStates(failed, false);

    expect(converter.convert('a', state(500n, 5_000n, 170)).value).toBe(20);
  });
});

function exponentialState(
  timeNs: bigint,
  scale: number,
  offset: number,
  counts: number[],
): SeriesState {
  const exponential: ExponentialBuckets = {
    scale,
    zeroCount: 0,
    positiveOffset: offset,
    positiveCounts: counts,
    negativeOffset: 0,
    negativeCounts: [],
  };
  const count = counts.reduce((sum, n) => sum + n, 0);
  return { ...state(500n, timeNs, 0), count, exponential };
}

describe('cumulative exponential histograms', () => {
  it('subtracts across a downscale', () => {
    // Scale 1 buckets 0 and 1 are (1, 2^0.5] and (2^0.5, 2], which both lie in scale 0 bucket 0.
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('e', exponentialState(3_000n, 1, 0, [2, 2]));
    const delta = converter.convert('e', exponentialState(4_000n, 0, 0, [4, 2]));

    expect(delta.reset).toBe(false);
    expect(delta.count).toBe(2);
    expect(delta.exponential?.scale).toBe(0);
    expect(delta.exponential?.positiveOffset).toBe(0);
    expect(delta.exponential?.positiveCounts).toEqual([0, 2]);
  });

  it('treats a decrease after a downscale as a reset', () => {
    const converter = new CumulativeToDelta(STARTED_NS);
    converter.convert('e', exponentialState(3_000n, 1, 0, [2, 2]));
    const delta = converter.convert('e', exponentialState(4_000n, 0, 0, [3, 2]));

    expect(delta.reset).toBe(true);
    expect(delta.count).toBe(5);
    expect(delta.exponential?.positiveCounts).toEqual([3, 2]);
  });

  it('downscales negative bucket indexes', () => {
    // Indexes -3, -2, -1 and 0 at scale 2 fall in indexes -1, -1, -1 and 0 at scale 0.
    const buckets = exponentialState(3_000n, 2, -3, [1, 2, 3, 4]).exponential!;

    const downscaled = downscaleBuckets(buckets, 0);

    expect(downscaled.scale).toBe(0);
    expect(downscaled.positiveOffset).toBe(-1);
    expect(downscaled.positiveCounts).toEqual([6, 4]);
  });
});
