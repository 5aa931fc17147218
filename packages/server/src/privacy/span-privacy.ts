import type { RedactionStats } from '@foghorn/redact';
import type { OtlpMetricsRequest } from '../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/**
 * The privacy step of ingest: redacts spans, log records and metric data
 * points in place before they are stored or logged.
 */
export interface SpanPrivacy {
  redactSpans(spans: CanonicalSpan[]): void;
  redactLogRecords(records: StoredLogRecord[]): void;
  /** Redacts data point and resource attributes before series keys and dimensions are derived from them. */
  redactMetricsRequest(request: OtlpMetricsRequest): void;
  stats(): RedactionStats;
  /** The user-id keys and pseudonymizer of the stored data, for erasure. */
  readonly userIdentity: UserIdentity;
}

export interface UserIdentity {
  /** Attribute keys whose values are user ids. */
  userIdKeys: readonly string[];
  /** Returns the pseudonym the server stores for a raw id; null when pseudonyms are off. */
  pseudonymize(userId: string): string | null;
}
