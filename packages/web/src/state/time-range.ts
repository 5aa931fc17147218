/** Relative time ranges offered in the header, ending now. */
export const RANGE_PRESET_DURATION_MS = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
} as const;

export type RangePreset = keyof typeof RANGE_PRESET_DURATION_MS;

export const RANGE_PRESETS = Object.keys(RANGE_PRESET_DURATION_MS) as RangePreset[];

export const RANGE_PRESET_LABELS: Readonly<Record<RangePreset, string>> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last 1 hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

export const DEFAULT_RANGE_PRESET: RangePreset = '1h';

/** A preset that moves with the clock, or fixed bounds. */
export type TimeRangeSpec =
  { kind: 'preset'; preset: RangePreset } | { kind: 'absolute'; fromMs: number; toMs: number };

export interface ResolvedTimeRange {
  fromMs: number;
  toMs: number;
}

export function isRangePreset(value: string): value is RangePreset {
  return Object.hasOwn(RANGE_PRESET_DURATION_MS, value);
}

/** Turns a range spec into Unix-millisecond bounds; presets end at `nowMs`. */
export function resolveTimeRange(spec: TimeRangeSpec, nowMs: number): ResolvedTimeRange {
  if (spec.kind === 'absolute') {
    return { fromMs: spec.fromMs, toMs: spec.toMs };
  }
  return { fromMs: nowMs - RANGE_PRESET_DURATION_MS[spec.preset], toMs: nowMs };
}

/**
 * Parses a time bound given as Unix milliseconds or an RFC 3339 string.
 * Returns null when the text is neither.
 */
export function parseTimeBoundMs(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d{1,16}$/.test(trimmed)) {
    return Number(trimmed);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    return null;
  }
  const parsedMs = Date.parse(trimmed);
  return Number.isFinite(parsedMs) ? parsedMs : null;
}
