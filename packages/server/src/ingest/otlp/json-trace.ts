import { SPAN_ID_BYTES, TRACE_ID_BYTES } from './hex-ids.ts';
import { decodeJsonResource, decodeJsonScope, readJsonAttributes } from './json-common.ts';
import {
  getField,
  inField,
  mapMessages,
  readArray,
  readEnum,
  readId,
  readObject,
  readString,
  readUint32,
  readUint64,
  type JsonObject,
} from './json-fields.ts';
import { decodeJsonBody, parseJsonRequest } from './json-request.ts';
import type {
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  TraceDecodeResult,
} from './otlp-model.ts';
import { rejectInvalidSpans } from './span-check.ts';

const MESSAGE_NAME = 'ExportTraceServiceRequest';

/** `Span.SpanKind` names as protobuf JSON encoders write them. */
const SPAN_KIND_BY_NAME: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

const STATUS_CODE_BY_NAME: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest`. Accepts hex or base64
 * ids, 64-bit integers as strings or numbers, enums as numbers or names, and
 * lowerCamelCase or snake_case keys. Spans that cannot be stored are left
 * out and counted; a body that is not such a request throws OtlpDecodeError
 * with code OTLP_INVALID_JSON.
 */
export function decodeTraceRequestJson(text: string): TraceDecodeResult {
  const items = parseJsonRequest(text, MESSAGE_NAME, ['resourceSpans', 'resource_spans']);
  const resourceSpans = decodeJsonBody(MESSAGE_NAME, () =>
    mapMessages(items, 'resourceSpans', decodeResourceSpans),
  );
  return rejectInvalidSpans({ resourceSpans });
}

function decodeResourceSpans(object: JsonObject): OtlpResourceSpans {
  const resource = inField('resource', () => decodeJsonResource(readObject(object, 'resource')));
  let scopeSpans = mapMessages(
    readArray(object, 'scopeSpans', 'scope_spans'),
    'scopeSpans',
    decodeScopeSpans,
  );
  if (scopeSpans.length === 0) {
    const legacy = readArray(
      object,
      'instrumentationLibrarySpans',
      'instrumentation_library_spans',
    );
    scopeSpans = mapMessages(legacy, 'instrumentationLibrarySpans', decodeScopeSpans);
  }
  return { resource, schemaUrl: readString(object, 'schemaUrl', 'schema_url'), scopeSpans };
}

function decodeScopeSpans(object: JsonObject): OtlpScopeSpans {
  const scopeObject =
    getField(object, 'scope', 'scope') === undefined
      ? readObject(object, 'instrumentationLibrary', 'instrumentation_library')
      : readObject(object, 'scope');
  return {
    scope: inField('scope', () => decodeJsonScope(scopeObject)),
    schemaUrl: readString(object, 'schemaUrl', 'schema_url'),
    spans: mapMessages(readArray(object, 'spans'), 'spans', decodeSpan),
  };
}

function decodeSpan(object: JsonObject): OtlpSpan {
  return {
    traceId: readId(object, 'traceId', 'trace_id', TRACE_ID_BYTES),
    spanId: readId(object, 'spanId', 'span_id', SPAN_ID_BYTES),
    parentSpanId: readId(object, 'parentSpanId', 'parent_span_id', SPAN_ID_BYTES),
    traceState: readString(object, 'traceState', 'trace_state'),
    name: readString(object, 'name'),
    kind: readEnum(object, ['kind', 'kind'], SPAN_KIND_BY_NAME),
    startTimeUnixNano: readUint64(object, 'startTimeUnixNano', 'start_time_unix_nano'),
    endTimeUnixNano: readUint64(object, 'endTimeUnixNano', 'end_time_unix_nano'),
    attributes: readJsonAttributes(object),
    droppedAttributesCount: readUint32(
      object,
      'droppedAttributesCount',
      'dropped_attributes_count',
    ),
    events: mapMessages(readArray(object, 'events'), 'events', decodeEvent),
    links: mapMessages(readArray(object, 'links'), 'links', decodeLink),
    status: inField('status', () => decodeStatus(readObject(object, 'status'))),
    flags: readUint32(object, 'flags'),
    droppedEventsCount: readUint32(object, 'droppedEventsCount', 'dropped_events_count'),
    droppedLinksCount: readUint32(object, 'droppedLinksCount', 'dropped_links_count'),
  };
}

function decodeEvent(object: JsonObject): OtlpSpanEvent {
  return {
    timeUnixNano: readUint64(object, 'timeUnixNano', 'time_unix_nano'),
    name: readString(object, 'name'),
    attributes: readJsonAttributes(object),
  };
}

function decodeLink(object: JsonObject): OtlpSpanLink {
  return {
    traceId: readId(object, 'traceId', 'trace_id', TRACE_ID_BYTES),
    spanId: readId(object, 'spanId', 'span_id', SPAN_ID_BYTES),
    attributes: readJsonAttributes(object),
  };
}

function decodeStatus(object: JsonObject | undefined): { code: number; message: string } {
  if (object === undefined) return { code: 0, message: '' };
  return {
    code: readEnum(object, ['code', 'code'], STATUS_CODE_BY_NAME),
    message: readString(object, 'message'),
  };
}
