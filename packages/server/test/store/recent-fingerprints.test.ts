import { describe, expect, it } from 'vitest';
import {
  RecentFingerprintMap,
  RecentFingerprints,
  fingerprintOf,
  type Fingerprint,
} from '../../src/recent-fingerprints.ts';

/** Fingerprints of sequential span ids, which differ only in their last hex digits. */
function sequential(count: number, first = 0): Fingerprint[] {
  return Array.from({ length: count }, (_, index) =>
    fingerprintOf((first + index).toString(16).padStart(32, '0')),
  );
}

/** A deterministic generator of 32-bit integers (mulberry32), so a failing case repeats. */
function randomInts(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

describe('fingerprintOf', () => {
  it('separates the parts of a key', () => {
    const joined = fingerprintOf('ab', 'c');
    const split = fingerprintOf('a', 'bc');
    expect(joined).not.toEqual(split);
    expect(fingerprintOf('ab', 'c')).toEqual(joined);
  });

  it('spreads sequential ids over both halves', () => {
    const prints = sequential(200_000);
    expect(new Set(prints.map((print) => `${print.hi}:${print.lo}`)).size).toBe(200_000);
    expect(new Set(prints.map((print) => print.lo & 0xffff)).size).toBeGreaterThan(60_000);
    expect(prints.every((print) => print.hi !== 0)).toBe(true);
  });
});

describe('recent fingerprints', () => {
  it('remembers keys while the table grows', () => {
    const recent = new RecentFingerprints(100_000);
    const added = sequential(60_000);
    for (const print of added) recent.add(print);
    expect(recent.size).toBe(60_000);
    expect(added.every((print) => recent.has(print))).toBe(true);
    expect(sequential(60_000, 60_000).filter((print) => recent.has(print))).toEqual([]);
  });

  it('drops the oldest generation', () => {
    const recent = new RecentFingerprints(1_000);
    const prints = sequential(2_001);
    for (const print of prints) recent.add(print);
    // The 2,001st key started a third generation, which dropped the first 1,000 keys.
    expect(recent.size).toBe(1_001);
    expect(prints.slice(0, 1_000).some((print) => recent.has(print))).toBe(false);
    expect(prints.slice(1_000).every((print) => recent.has(print))).toBe(true);
  });

  it('finds keys past a deleted slot', () => {
    const recent = new RecentFingerprints(1_000);
    // The same low half puts all three in one probe chain.
    const first = { hi: 11, lo: 5 };
    const second = { hi: 12, lo: 5 };
    const third = { hi: 13, lo: 5 };
    for (const print of [first, second, third]) recent.add(print);
    recent.delete(second);
    expect([recent.has(first), recent.has(second), recent.has(third)]).toEqual([true, false, true]);
    recent.add(second);
    recent.delete(first);
    expect([recent.has(first), recent.has(second), recent.has(third)]).toEqual([false, true, true]);
    expect(recent.size).toBe(2);
  });

  it('matches a set under random churn', () => {
    const next = randomInts(7);
    const recent = new RecentFingerprints(50_000);
    // Low halves from a range of 2^17 make keys share slots and probe past each other.
    const pool = Array.from({ length: 60_000 }, () => ({
      hi: (next() % 0xffff) + 1,
      lo: next() & 0x1ffff,
    }));
    const inModel = new Set<number>();
    for (let step = 0; step < 300_000; step++) {
      const index = next() % pool.length;
      if (next() % 3 === 0) {
        recent.delete(pool[index]!);
        inModel.delete(index);
      } else if (inModel.size < 40_000) {
        recent.add(pool[index]!);
        inModel.add(index);
      }
    }
    expect(inModel.size).toBeGreaterThan(20_000);
    expect(recent.size).toBe(inModel.size);
    const answers = pool.map((print) => recent.has(print));
    expect(answers.filter((found, index) => found !== inModel.has(index))).toEqual([]);
  });
});

describe('recent fingerprint map', () => {
  it('stores equal values once', () => {
    const map = new RecentFingerprintMap<{ tenant: string }>(10_000, (value) => value.tenant);
    const prints = sequential(9_000);
    prints.forEach((print, index) => map.set(print, { tenant: `tenant-${index % 3}` }));
    expect(map.get(prints[4]!)).toEqual({ tenant: 'tenant-1' });
    expect(map.get(prints[4]!)).toBe(map.get(prints[7]!));
    expect(map.get(fingerprintOf('absent'))).toBeUndefined();
  });

  it('keeps values across a generation', () => {
    const map = new RecentFingerprintMap<string>(1_000, (value) => value);
    const prints = sequential(2_001);
    prints.forEach((print, index) => map.set(print, `value-${index}`));
    expect(map.get(prints[999]!)).toBeUndefined();
    expect(map.get(prints[1_000]!)).toBe('value-1000');
    expect(map.get(prints[1_999]!)).toBe('value-1999');
    expect(map.get(prints[2_000]!)).toBe('value-2000');
  });

  it('gives the newest value', () => {
    const map = new RecentFingerprintMap<string>(2, (value) => value);
    const [first, second, third] = sequential(3);
    map.set(first!, 'old');
    map.set(second!, 'other');
    // The third key starts a generation: the first key moves to the older one.
    map.set(third!, 'third');
    map.set(first!, 'new');
    expect(map.get(first!)).toBe('new');
    map.delete(first!);
    expect(map.get(first!)).toBeUndefined();
    expect(map.get(second!)).toBe('other');
  });
});
