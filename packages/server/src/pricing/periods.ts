import type { PricePeriod } from '../enrich/price-table.ts';

const NANOS_PER_MS = 1_000_000n;

/** The UTC day (YYYY-MM-DD) of a Unix nanosecond time. */
export function utcDayOf(timeUnixNano: bigint): string {
  return new Date(Number(timeUnixNano / NANOS_PER_MS)).toISOString().slice(0, 10);
}

/** The latest period that took effect on or before the day of `startTimeUnixNano`, or null. */
export function periodInForce(
  periods: readonly PricePeriod[],
  startTimeUnixNano: bigint,
): PricePeriod | null {
  const startDay = utcDayOf(startTimeUnixNano);
  let chosen: PricePeriod | null = null;
  for (const period of periods) {
    if (
      period.effectiveFrom <= startDay &&
      (chosen === null || period.effectiveFrom >= chosen.effectiveFrom)
    ) {
      chosen = period;
    }
  }
  return chosen;
}
