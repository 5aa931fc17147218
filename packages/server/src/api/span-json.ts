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
