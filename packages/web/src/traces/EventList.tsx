import type { JSX } from 'preact';
import type { AttributeValue, SpanLogRecord, TraceSpan } from '../api/types.ts';
import { formatDurationMs } from '../lib/format.ts';

function offsetText(timeUnixNano: string, span: TraceSpan): string {
  const offsetNs = BigInt(timeUnixNano) - BigInt(span.startTimeUnixNano);
  return `+${formatDurationMs(Number(offsetNs) / 1e6)}`;
}

function bodyText(body: AttributeValue | undefined): string {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

/** Lists a span's events and its log records, GenAI events among them, by time. */
export function EventList({ span }: { span: TraceSpan }): JSX.Element | null {
  const logs: SpanLogRecord[] = span.logs ?? [];
  if (span.events.length === 0 && logs.length === 0) return null;
  return (
    <section class="span-section" data-section="events">
      <h4>Events and logs</h4>
      <ul class="event-list">
        {span.events.map((event, index) => (
          <li key={`event-${index}`} data-event={event.name}>
            <span class="event-time">{offsetText(event.timeUnixNano, span)}</span>{' '}
            <strong>{event.name}</strong>
            {Object.keys(event.attributes).length > 0 && (
              <pre class="attribute-value">{JSON.stringify(event.attributes, null, 2)}</pre>
            )}
          </li>
        ))}
        {logs.map((record, index) => (
          <li key={`log-${index}`} data-log={record.eventName ?? ''}>
            <span class="event-time">{offsetText(record.timeUnixNano, span)}</span>{' '}
            <strong>{record.eventName || record.severityText || 'log'}</strong>
            <pre class="attribute-value">{bodyText(record.body)}</pre>
            {record.attributes !== undefined && Object.keys(record.attributes).length > 0 && (
              <pre class="attribute-value">{JSON.stringify(record.attributes, null, 2)}</pre>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
