import type { PrivacyStatsResponse, RedactionCounters } from './privacy-client.ts';

/** One line of the per-detector totals. */
export interface DetectorTotal {
  detector: string;
  values: number;
}

/** Returns the detector totals in the order the panel shows them: most values first, then by name. */
export function detectorTotals(counters: RedactionCounters): DetectorTotal[] {
  return Object.entries(counters.byDetector)
    .map(([detector, values]) => ({ detector, values }))
    .sort((a, b) => b.values - a.values || (a.detector < b.detector ? -1 : 1));
}

/** Returns the sum of the values replaced by every detector. */
export function redactedValues(counters: RedactionCounters): number {
  return Object.values(counters.byDetector).reduce((sum, values) => sum + values, 0);
}

/** Returns true when nothing has passed through redaction yet, so the panel shows its empty state. */
export function isEmptyStats(stats: PrivacyStatsResponse): boolean {
  const totals = stats.totals;
  return totals.spans + totals.logRecords + totals.metricPoints === 0;
}

/** Returns the services with the most redacted values first, then by name. */
export function servicesByRedactions(
  stats: PrivacyStatsResponse,
): PrivacyStatsResponse['services'] {
  return [...stats.services].sort(
    (a, b) => redactedValues(b) - redactedValues(a) || (a.service < b.service ? -1 : 1),
  );
}
