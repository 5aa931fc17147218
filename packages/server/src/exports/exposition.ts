import { HistogramFamily, type MetricFamily, type SeriesLabels } from './metric-family.ts';

/** The content type of the Prometheus text exposition format 0.0.4. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Formats a sample value as Go's float syntax reads it: `+Inf`, `-Inf`, `NaN` or a decimal. */
export function formatSampleValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}

function formatLabels(labels: SeriesLabels, extra: Record<string, string> = {}): string {
  const pairs = Object.entries({ ...labels, ...extra })
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function sortedSeries<T extends { labels: SeriesLabels }>(series: Iterable<T>): T[] {
  return [...series].sort((a, b) => (formatLabels(a.labels) < formatLabels(b.labels) ? -1 : 1));
}

function histogramLines(family: HistogramFamily): string[] {
  const lines: string[] = [];
  for (const entry of sortedSeries(family.series.values())) {
    let cumulative = 0;
    family.bounds.forEach((bound, index) => {
      cumulative += entry.bucketCounts[index]!;
      lines.push(
        `${family.name}_bucket${formatLabels(entry.labels, { le: formatSampleValue(bound) })} ${cumulative}`,
      );
    });
    lines.push(`${family.name}_bucket${formatLabels(entry.labels, { le: '+Inf' })} ${entry.count}`);
    lines.push(`${family.name}_sum${formatLabels(entry.labels)} ${formatSampleValue(entry.sum)}`);
    lines.push(`${family.name}_count${formatLabels(entry.labels)} ${entry.count}`);
  }
  return lines;
}

/** Renders families as the text exposition format, sorted by name and label set. */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of [...families].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const type = family instanceof HistogramFamily ? 'histogram' : family.type;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${type}`);
    if (family instanceof HistogramFamily) {
      lines.push(...histogramLines(family));
      continue;
    }
    for (const entry of sortedSeries(family.series.values()))
      lines.push(`${family.name}${formatLabels(entry.labels)} ${formatSampleValue(entry.value)}`);
  }
  return `${lines.join('\n')}\n`;
}
