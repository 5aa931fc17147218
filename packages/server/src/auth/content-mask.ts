import { isContentEvent, isContentKey } from '@foghorn/redact';
import { setEntry } from '../lookup-table.ts';

/** Replaces prompt and completion content for callers without the content permission. */
export const HIDDEN_CONTENT_MARKER = '[hidden: requires the content permission]';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function maskAttributes(attributes: unknown, onEvent: boolean): unknown {
  if (!isObject(attributes)) return attributes;
  const masked: Json = {};
  for (const [key, value] of Object.entries(attributes))
    setEntry(masked, key, isContentKey(key, onEvent) ? HIDDEN_CONTENT_MARKER : value);
  return masked;
}

/** A log record is content when its event carries messages, or its attributes hold content keys. */
function maskLogRecord(record: unknown): unknown {
  if (!isObject(record)) return record;
  const eventName = typeof record.eventName === 'string' ? record.eventName : '';
  const contentEvent = isContentEvent(eventName) || eventName.startsWith('gen_ai.');
  return {
    ...record,
    body:
      contentEvent && record.body !== null && record.body !== undefined
        ? HIDDEN_CONTENT_MARKER
        : record.body,
    attributes: maskAttributes(record.attributes, true),
  };
}

function maskEvent(event: unknown): unknown {
  if (!isObject(event)) return event;
  return { ...event, attributes: maskAttributes(event.attributes, true) };
}

function maskSpan(span: unknown): unknown {
  if (!isObject(span)) return span;
  const masked: Json = { ...span, attributes: maskAttributes(span.attributes, false) };
  if (Array.isArray(span.events)) masked.events = span.events.map(maskEvent);
  if (Array.isArray(span.logs)) masked.logs = span.logs.map(maskLogRecord);
  return masked;
}

/**
 * Masks the content of a trace or log response: `spans` (with their events
 * and logs) and `logs` arrays at the top level. The content keys of every
 * dialect come from the redaction package, which also enforces the storage policy.
 */
export function maskContent(payload: unknown): unknown {
  if (!isObject(payload)) return payload;
  const masked: Json = { ...payload };
  if (Array.isArray(payload.spans)) masked.spans = payload.spans.map(maskSpan);
  if (Array.isArray(payload.logs)) masked.logs = payload.logs.map(maskLogRecord);
  return masked;
}
