import type { MetricJson, RunJson } from './tracking-types.ts';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Formats Unix milliseconds as a local date and time; missing times show as a dash. */
export function formatTimeMs(timeMs: number | undefined | null): string {
  return timeMs === undefined || timeMs === null ? '–' : dateTimeFormat.format(Number(timeMs));
}

/** MLflow sends NaN and infinities as strings; every other metric value is a JSON number. */
export function metricValue(metric: MetricJson): number {
  return typeof metric.value === 'number' ? metric.value : Number(metric.value);
}

export function formatMetric(value: number | undefined): string {
  if (value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}

export function runLabel(run: RunJson): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}

/** Returns the sorted union of the keys of one kind over the runs. */
export function unionKeys(runs: RunJson[], kind: 'params' | 'metrics'): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const item of run.data[kind] ?? []) keys.add(item.key);
  return [...keys].sort();
}

export function paramOf(run: RunJson, key: string): string | undefined {
  return run.data.params?.find((param) => param.key === key)?.value;
}

export function metricOf(run: RunJson, key: string): number | undefined {
  const metric = run.data.metrics?.find((item) => item.key === key);
  return metric === undefined ? undefined : metricValue(metric);
}

/** Quotes a key for an MLflow order-by or filter clause: backticks when it has other characters than letters, digits and `_`. */
export function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key.replaceAll('`', '')}\``;
}
