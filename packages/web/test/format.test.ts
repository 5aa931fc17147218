import { describe, expect, it } from 'vitest';
import {
  formatCompact,
  formatCount,
  formatDurationMs,
  formatPercent,
  formatUsd,
  NO_VALUE,
} from '../src/lib/format.ts';

describe('formatDurationMs', () => {
  const cases: [number | null, string][] = [
    [0.42, '0.4 ms'],
    [7, '7 ms'],
    [850.4, '850 ms'],
    [1000, '1 s'],
    [1234, '1.23 s'],
    [59_990, '59.99 s'],
    [150_000, '2.5 min'],
    [null, NO_VALUE],
  ];
  for (const [input, expected] of cases) {
    it(`formats ${String(input)}`, () => {
      expect(formatDurationMs(input)).toBe(expected);
    });
  }
});

describe('formatUsd', () => {
  const cases: [number | null, string][] = [
    [0, '$0.00'],
    [0.0042, '$0.0042'],
    [0.00001234, '$0.000012'],
    [0.5, '$0.50'],
    [1234.567, '$1,234.57'],
    [8884.8, '$8,884.80'],
    [123_456.7, '$123,457'],
    [-2.5, '-$2.50'],
    [Number.NaN, NO_VALUE],
  ];
  for (const [input, expected] of cases) {
    it(`formats ${String(input)}`, () => {
      expect(formatUsd(input)).toBe(expected);
    });
  }
});

describe('formatPercent', () => {
  const cases: [number | null, string][] = [
    [0, '0%'],
    [0.372, '0.37%'],
    [0.5, '0.5%'],
    [5.43, '5.4%'],
    [12.6, '13%'],
    [100, '100%'],
    [null, NO_VALUE],
  ];
  for (const [input, expected] of cases) {
    it(`formats ${String(input)}`, () => {
      expect(formatPercent(input)).toBe(expected);
    });
  }
});

describe('formatCount and formatCompact', () => {
  it('separates thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  const compactCases: [number, string][] = [
    [0, '0'],
    [950, '950'],
    [2.5, '2.5'],
    [12_345, '12.3k'],
    [4_500_000, '4.5M'],
    [250_000_000, '250M'],
    [1_200_000_000, '1.2B'],
  ];
  for (const [input, expected] of compactCases) {
    it(`abbreviates ${input}`, () => {
      expect(formatCompact(input)).toBe(expected);
    });
  }
});
