import type { StoredLogRecord } from '../logs/log-record.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/** Converts a span for JSON responses: nanosecond times become decimal strings. */
export function spanToJson(span: CanonicalSpan): Record<string, unknown> {
  return {
    ...span,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    events: span.events.map((event) => ({ ...event, timeUnixNano: event.timeUnixNano.toString() })),
  };
}

/** Converts a log record for JSON responses. */
export function logToJson(record: StoredLogRecord): Record<string, unknown> {
  return {
    ...record,
    timeUnixNano: record.timeUnixNano.toString(),
    observedTimeUnixNano: record.observedTimeUnixNano.toString(),
  };
}
