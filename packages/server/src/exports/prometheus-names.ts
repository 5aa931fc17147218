import { lookupTable } from '../lookup-table.ts';

/** The OTel instrument kinds whose Prometheus names differ. */
export type InstrumentKind = 'counter' | 'updown_counter' | 'gauge' | 'histogram';

/** UCUM units that Prometheus spells as a plural word suffix. */
const UNIT_WORDS: Readonly<Record<string, string>> = lookupTable({
  s: 'seconds',
  ms: 'milliseconds',
  By: 'bytes',
  '1': 'ratio',
  USD: 'USD',
});

/** Replaces every character outside `[a-zA-Z0-9_:]` with `_` and collapses repeats. */
export function sanitizeMetricName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]+/g, '_').replace(/_+/g, '_');
}

function unitSuffix(unit: string): string {
  if (unit === '' || /^\{.*\}$/.test(unit)) return '';
  return UNIT_WORDS[unit] ?? sanitizeMetricName(unit);
}

/**
 * Translates an OTel metric name and unit into a Prometheus name: dots become
 * underscores, the unit becomes a suffix (annotations in braces are dropped) and
 * monotonic counters end in `_total`. `gen_ai.client.operation.duration` in `s`
 * becomes `gen_ai_client_operation_duration_seconds`.
 */
export function prometheusMetricName(otelName: string, unit: string, kind: InstrumentKind): string {
  let name = sanitizeMetricName(otelName);
  const suffix = unitSuffix(unit);
  if (suffix !== '' && !name.endsWith(`_${suffix}`)) name = `${name}_${suffix}`;
  if (kind === 'counter' && !name.endsWith('_total')) name = `${name}_total`;
  return name;
}
