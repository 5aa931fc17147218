import { describe, expect, it } from 'vitest';
import { CumulativeToDelta, type SeriesState } from '../../src/metrics/cumulative-to-delta.ts';

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
});
