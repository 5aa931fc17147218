import type { RedactionStats } from '@foghorn/redact';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/** The privacy step of ingest: redacts spans in place before they are stored or logged. */
export interface SpanPrivacy {
  redactSpans(spans: CanonicalSpan[]): void;
  stats(): RedactionStats;
}
