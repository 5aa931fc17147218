import type { RedactionStats } from '@foghorn/redact';
import type { OtlpMetricsRequest } from '../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/**
 * The privacy step of ingest: redacts spans, log records and metric data
 * points in place before they are stored or logged, and counts what it
 * replaced per project. `projectId` defaults to the default project.
 */
export interface SpanPrivacy {
  redactSpans(spans: CanonicalSpan[], projectId?: string): void;
  redactLogRecords(records: StoredLogRecord[], projectId?: string): void;
  /** Redacts data point and resource attributes before series keys and dimensions are derived from them. */
  redactMetricsRequest(request: OtlpMetricsRequest, projectId?: string): void;
  /** The counters of one project since start; a project with no data yet has zero counters. */
  stats(projectId: string): RedactionStats;
  /** The user-id keys and pseudonymizer of the stored data, for erasure. */
  readonly userIdentity: UserIdentity;
}

/** The privacy step of ingest with the list of projects it keeps counters for. */
export interface IngestPrivacy extends SpanPrivacy {
  /** The projects that have a redactor: the default project and every project that sent data since start. */
  projectIds(): readonly string[];
}

export interface UserIdentity {
  /** Attribute keys whose values are user ids. */
  userIdKeys: readonly string[];
  /** Returns the pseudonym the server stores for a raw id; null when pseudonyms are off. */
  pseudonymize(userId: string): string | null;
}
