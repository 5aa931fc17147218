import { describe, expect, it } from 'vitest';
import { fromDatetimeLocalValue, toDatetimeLocalValue } from '../src/lib/datetime-local.ts';
import { parseTimeBoundMs, resolveTimeRange } from '../src/state/time-range.ts';

const NOW_MS = Date.UTC(2026, 2, 10, 12, 0, 0);

describe('resolveTimeRange', () => {
  const presets: [string, number][] = [
    ['15m', 15 * 60_000],
    ['1h', 3_600_000],
    ['6h', 6 * 3_600_000],
    ['24h', 24 * 3_600_000],
    ['7d', 7 * 24 * 3_600_000],
  ];

  for (const [preset, durationMs] of presets) {
    it(`ends preset ${preset} now`, () => {
      const range = resolveTimeRange({ kind: 'preset', preset: preset as '1h' }, NOW_MS);
      expect(range.toMs).toBe(NOW_MS);
      expect(range.fromMs).toBe(NOW_MS - durationMs);
    });
  }

  it('keeps absolute bounds', () => {
    const range = resolveTimeRange({ kind: 'absolute', fromMs: 1000, toMs: 5000 }, NOW_MS);
    expect(range).toEqual({ fromMs: 1000, toMs: 5000 });
  });
});

describe('parseTimeBoundMs', () => {
  it('reads Unix ms', () => {
    expect(parseTimeBoundMs('1767225600000')).toBe(1767225600000);
  });

  it('reads RFC 3339 with offset', () => {
    expect(parseTimeBoundMs('2026-01-01T02:00:00+02:00')).toBe(Date.UTC(2026, 0, 1, 0, 0, 0));
  });

  it('rejects other text', () => {
    expect(parseTimeBoundMs('last tuesday')).toBeNull();
    expect(parseTimeBoundMs('')).toBeNull();
    expect(parseTimeBoundMs('2026-13-45T99:00:00Z')).toBeNull();
  });
});

describe('datetime-local values', () => {
  it('round-trip to the minute', () => {
    const timeMs = new Date(2026, 6, 4, 9, 5).getTime();
    expect(toDatetimeLocalValue(timeMs)).toBe('2026-07-04T09:05');
    expect(fromDatetimeLocalValue('2026-07-04T09:05')).toBe(timeMs);
  });

  it('reject malformed input', () => {
    expect(fromDatetimeLocalValue('')).toBeNull();
    expect(fromDatetimeLocalValue('07/04/2026 9:05')).toBeNull();
  });
});
