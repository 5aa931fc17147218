import type { RedactionStats, ServiceCounters } from '@foghorn/redact';
import { LLM_LABELS as L } from './llm-metric-names.ts';
import { ValueFamily, type MetricFamily } from './metric-family.ts';
import { prometheusMetricName } from './prometheus-names.ts';

/** Prometheus names of the redaction counters, translated from their OTel names and units. */
export const REDACTION_METRIC_NAMES = Object.freeze({
  redactions: prometheusMetricName('foghorn.redactions', '{value}', 'counter'),
  scannedSpans: prometheusMetricName('foghorn.redaction.scanned_spans', '{span}', 'counter'),
  scannedLogRecords: prometheusMetricName(
    'foghorn.redaction.scanned_log_records',
    '{record}',
    'counter',
  ),
  scannedMetricPoints: prometheusMetricName(
    'foghorn.redaction.scanned_metric_points',
    '{point}',
    'counter',
  ),
  deniedAttributes: prometheusMetricName(
    'foghorn.redaction.denied_attributes',
    '{attribute}',
    'counter',
  ),
  pseudonymizedValues: prometheusMetricName(
    'foghorn.redaction.pseudonymized_values',
    '{value}',
    'counter',
  ),
  content: prometheusMetricName('foghorn.redaction.content', '{value}', 'counter'),
});

/** Label names of the redaction counters besides `project` and `service`. */
export const REDACTION_LABELS = Object.freeze({ detector: 'detector', action: 'action' });

/** The live redaction counters of each project, read at scrape time. */
export interface RedactionStatsSource {
  /** The counters of one project since start. */
  stats(projectId: string): RedactionStats;
  /** The projects that have a redactor, that is every project that sent data since start. */
  projectIds(): readonly string[];
}

const N = REDACTION_METRIC_NAMES;

/** The content-mode counters and the `action` label value each is exported under. */
const CONTENT_ACTIONS = [
  ['droppedContent', 'dropped'],
  ['hashedContent', 'hashed'],
  ['truncatedContent', 'truncated'],
] as const;

/** The families of one scrape, built empty and filled from the stats snapshots. */
interface RedactionFamilies {
  redactions: ValueFamily;
  scannedSpans: ValueFamily;
  scannedLogRecords: ValueFamily;
  scannedMetricPoints: ValueFamily;
  deniedAttributes: ValueFamily;
  pseudonymizedValues: ValueFamily;
  content: ValueFamily;
}

function emptyFamilies(): RedactionFamilies {
  const counter = (name: string, help: string): ValueFamily =>
    new ValueFamily(name, 'counter', help);
  return {
    redactions: counter(N.redactions, 'Values replaced by a redaction marker, by detector.'),
    scannedSpans: counter(N.scannedSpans, 'Spans that passed through redaction.'),
    scannedLogRecords: counter(N.scannedLogRecords, 'Log records that passed through redaction.'),
    scannedMetricPoints: counter(
      N.scannedMetricPoints,
      'Metric data points whose attributes passed through redaction.',
    ),
    deniedAttributes: counter(
      N.deniedAttributes,
      'Attributes removed or replaced because their key is on the deny list.',
    ),
    pseudonymizedValues: counter(
      N.pseudonymizedValues,
      'User-id attribute values replaced by a pseudonym.',
    ),
    content: counter(
      N.content,
      'Prompt and completion content values dropped, hashed or truncated by the content mode.',
    ),
  };
}

function addService(
  families: RedactionFamilies,
  projectId: string,
  service: string,
  counters: ServiceCounters,
): void {
  const labels = { [L.project]: projectId, [L.service]: service };
  for (const [detector, count] of Object.entries(counters.byDetector))
    families.redactions.add({ ...labels, [REDACTION_LABELS.detector]: detector }, count);
  families.scannedSpans.add(labels, counters.spans);
  families.scannedLogRecords.add(labels, counters.logRecords);
  families.scannedMetricPoints.add(labels, counters.metricPoints);
  families.deniedAttributes.add(labels, counters.deniedAttributes);
  families.pseudonymizedValues.add(labels, counters.pseudonymizedValues);
  for (const [field, action] of CONTENT_ACTIONS)
    families.content.add({ ...labels, [REDACTION_LABELS.action]: action }, counters[field]);
}

/**
 * Builds the redaction counter families from the live stats at scrape time:
 * every project's series, or with `projectId` only that project's. Every series
 * has the `project` and `service` labels. The stats count at most 1000 services
 * per project and put later ones under `_other`, which bounds the service label.
 */
export function collectRedactionFamilies(
  source: RedactionStatsSource,
  projectId?: string,
): MetricFamily[] {
  const families = emptyFamilies();
  const projectIds = projectId === undefined ? source.projectIds() : [projectId];
  for (const id of projectIds) {
    const stats = source.stats(id);
    for (const [service, counters] of Object.entries(stats.byService))
      addService(families, id, service, counters);
  }
  return Object.values(families);
}
