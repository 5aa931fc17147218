import { lookupTable } from '../lookup-table.ts';

const UNIT_MS: Readonly<Record<string, number>> = lookupTable({
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
});

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;

/** Parses a Prometheus-style duration such as `30s`, `5m`, `1h` or `7d` into milliseconds; null when invalid. */
export function parseDurationMs(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * (UNIT_MS[match[2]!] ?? 0);
}

/** Formats milliseconds as the largest whole unit, such as `5m` or `1d`. */
export function formatDurationMs(durationMs: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (durationMs >= size && durationMs % size === 0) return `${durationMs / size}${unit}`;
  }
  return `${durationMs}ms`;
}
