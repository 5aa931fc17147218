import { toProtobufDecodeError, withSegment } from './decode-error.ts';
import type {
  Attributes,
  OtlpResourceSpans,
  OtlpScope,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  TraceDecodeResult,
} from './otlp-model.ts';
import { decodeKeyValueInto, decodeResource, decodeScope } from './proto-common.ts';
import { fieldSegment, fieldTable, repeatedIndex, skipField } from './proto-fields.ts';
import { ProtoReader, WireType, fieldTag } from './proto-reader.ts';
import { rejectInvalidSpans } from './span-check.ts';

const { varint, fixed64, lengthDelimited, fixed32 } = WireType;

const REQUEST_FIELDS = fieldTable({ resourceSpans: [1, lengthDelimited] });
const REQUEST_RESOURCE_SPANS = fieldTag(1, lengthDelimited);

const RESOURCE_SPANS_FIELDS = fieldTable({
  resource: [1, lengthDelimited],
  scopeSpans: [2, lengthDelimited],
  schemaUrl: [3, lengthDelimited],
  instrumentationLibrarySpans: [1000, lengthDelimited],
});
const RESOURCE = fieldTag(1, lengthDelimited);
const SCOPE_SPANS = fieldTag(2, lengthDelimited);
const RESOURCE_SCHEMA_URL = fieldTag(3, lengthDelimited);
/** Deprecated field laid out like ScopeSpans; read only when scope_spans is absent. */
const INSTRUMENTATION_LIBRARY_SPANS = fieldTag(1000, lengthDelimited);

const SCOPE_SPANS_FIELDS = fieldTable({
  scope: [1, lengthDelimited],
  spans: [2, lengthDelimited],
  schemaUrl: [3, lengthDelimited],
});
const SCOPE = fieldTag(1, lengthDelimited);
const SPANS = fieldTag(2, lengthDelimited);
const SCOPE_SCHEMA_URL = fieldTag(3, lengthDelimited);

const SPAN_FIELDS = fieldTable({
  traceId: [1, lengthDelimited],
  spanId: [2, lengthDelimited],
  traceState: [3, lengthDelimited],
  parentSpanId: [4, lengthDelimited],
  name: [5, lengthDelimited],
  kind: [6, varint],
  startTimeUnixNano: [7, fixed64],
  endTimeUnixNano: [8, fixed64],
  attributes: [9, lengthDelimited],
  droppedAttributesCount: [10, varint],
  events: [11, lengthDelimited],
  droppedEventsCount: [12, varint],
  links: [13, lengthDelimited],
  droppedLinksCount: [14, varint],
  status: [15, lengthDelimited],
  flags: [16, fixed32],
});
const TRACE_ID = fieldTag(1, lengthDelimited);
const SPAN_ID = fieldTag(2, lengthDelimited);
const TRACE_STATE = fieldTag(3, lengthDelimited);
const PARENT_SPAN_ID = fieldTag(4, lengthDelimited);
const NAME = fieldTag(5, lengthDelimited);
const KIND = fieldTag(6, varint);
const START_TIME = fieldTag(7, fixed64);
const END_TIME = fieldTag(8, fixed64);
const ATTRIBUTES = fieldTag(9, lengthDelimited);
const DROPPED_ATTRIBUTES_COUNT = fieldTag(10, varint);
const EVENTS = fieldTag(11, lengthDelimited);
const DROPPED_EVENTS_COUNT = fieldTag(12, varint);
const LINKS = fieldTag(13, lengthDelimited);
const DROPPED_LINKS_COUNT = fieldTag(14, varint);
const STATUS = fieldTag(15, lengthDelimited);
const FLAGS = fieldTag(16, fixed32);

const EVENT_FIELDS = fieldTable({
  timeUnixNano: [1, fixed64],
  name: [2, lengthDelimited],
  attributes: [3, lengthDelimited],
  droppedAttributesCount: [4, varint],
});
const EVENT_TIME = fieldTag(1, fixed64);
const EVENT_NAME = fieldTag(2, lengthDelimited);
const EVENT_ATTRIBUTES = fieldTag(3, lengthDelimited);

const LINK_FIELDS = fieldTable({
  traceId: [1, lengthDelimited],
  spanId: [2, lengthDelimited],
  traceState: [3, lengthDelimited],
  attributes: [4, lengthDelimited],
  droppedAttributesCount: [5, varint],
  flags: [6, fixed32],
});
const LINK_TRACE_ID = fieldTag(1, lengthDelimited);
const LINK_SPAN_ID = fieldTag(2, lengthDelimited);
const LINK_ATTRIBUTES = fieldTag(4, lengthDelimited);

const STATUS_FIELDS = fieldTable({ message: [2, lengthDelimited], code: [3, varint] });
const STATUS_MESSAGE = fieldTag(2, lengthDelimited);
const STATUS_CODE = fieldTag(3, varint);

const MESSAGE_NAME = 'ExportTraceServiceRequest';

/**
 * Decodes an OTLP `ExportTraceServiceRequest` in the protobuf binary encoding.
 * Spans that cannot be stored are left out and counted; a body that is not
 * such a message throws OtlpDecodeError with code OTLP_INVALID_PROTOBUF.
 */
export function decodeTraceRequestProtobuf(body: Uint8Array): TraceDecodeResult {
  const reader = new ProtoReader(body);
  const resourceSpans: OtlpResourceSpans[] = [];
  let field = 0;
  try {
    try {
      while (reader.pos < reader.length) {
        field = 0;
        const tag = reader.readTag();
        field = tag >>> 3;
        if (tag === REQUEST_RESOURCE_SPANS) {
          resourceSpans.push(decodeResourceSpans(reader, reader.readLengthEnd(reader.length)));
        } else skipField(reader, tag, reader.length, REQUEST_FIELDS);
      }
    } catch (error) {
      throw withSegment(error, fieldSegment(REQUEST_FIELDS, field, resourceSpans.length));
    }
  } catch (error) {
    throw toProtobufDecodeError(error, MESSAGE_NAME);
  }
  return rejectInvalidSpans({ resourceSpans });
}

function decodeResourceSpans(reader: ProtoReader, end: number): OtlpResourceSpans {
  let resource: Attributes = {};
  let schemaUrl = '';
  const scopeSpans: OtlpScopeSpans[] = [];
  const legacyScopeSpans: OtlpScopeSpans[] = [];
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === SCOPE_SPANS) scopeSpans.push(decodeScopeSpans(reader, reader.readLengthEnd(end)));
      else if (tag === RESOURCE) resource = decodeResource(reader, reader.readLengthEnd(end));
      else if (tag === RESOURCE_SCHEMA_URL) schemaUrl = reader.readRepeatedString(end);
      else if (tag === INSTRUMENTATION_LIBRARY_SPANS) {
        legacyScopeSpans.push(decodeScopeSpans(reader, reader.readLengthEnd(end)));
      } else skipField(reader, tag, end, RESOURCE_SPANS_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    const counts = { 2: scopeSpans.length, 1000: legacyScopeSpans.length };
    throw withSegment(
      error,
      fieldSegment(RESOURCE_SPANS_FIELDS, field, repeatedIndex(counts, field)),
    );
  }
  return { resource, schemaUrl, scopeSpans: scopeSpans.length > 0 ? scopeSpans : legacyScopeSpans };
}

function decodeScopeSpans(reader: ProtoReader, end: number): OtlpScopeSpans {
  let scope: OtlpScope = { name: '', version: '', attributes: {} };
  let schemaUrl = '';
  const spans: OtlpSpan[] = [];
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === SPANS) spans.push(decodeSpan(reader, reader.readLengthEnd(end)));
      else if (tag === SCOPE) scope = decodeScope(reader, reader.readLengthEnd(end));
      else if (tag === SCOPE_SCHEMA_URL) schemaUrl = reader.readRepeatedString(end);
      else skipField(reader, tag, end, SCOPE_SPANS_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(
      error,
      fieldSegment(SCOPE_SPANS_FIELDS, field, field === 2 ? spans.length : undefined),
    );
  }
  return { scope, schemaUrl, spans };
}

function decodeSpan(reader: ProtoReader, end: number): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    links: [],
    status: { code: 0, message: '' },
    flags: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  let attributeCount = 0;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === ATTRIBUTES) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), span.attributes, 0);
        attributeCount++;
      } else if (tag === TRACE_ID) span.traceId = reader.readHex(end);
      else if (tag === SPAN_ID) span.spanId = reader.readHex(end);
      else if (tag === PARENT_SPAN_ID) span.parentSpanId = reader.readHex(end);
      else if (tag === NAME) span.name = reader.readRepeatedString(end);
      else if (tag === KIND) span.kind = reader.readInt32();
      else if (tag === START_TIME) span.startTimeUnixNano = reader.readFixed64();
      else if (tag === END_TIME) span.endTimeUnixNano = reader.readFixed64();
      else if (tag === EVENTS) span.events.push(decodeEvent(reader, reader.readLengthEnd(end)));
      else if (tag === LINKS) span.links.push(decodeLink(reader, reader.readLengthEnd(end)));
      else if (tag === STATUS) span.status = decodeStatus(reader, reader.readLengthEnd(end));
      else if (tag === FLAGS) span.flags = reader.readFixed32();
      else if (tag === TRACE_STATE) span.traceState = reader.readString(end);
      else if (tag === DROPPED_ATTRIBUTES_COUNT)
        span.droppedAttributesCount = reader.readVarint32();
      else if (tag === DROPPED_EVENTS_COUNT) span.droppedEventsCount = reader.readVarint32();
      else if (tag === DROPPED_LINKS_COUNT) span.droppedLinksCount = reader.readVarint32();
      else skipField(reader, tag, end, SPAN_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(error, spanFieldSegment(span, field, attributeCount));
  }
  return span;
}

function spanFieldSegment(span: OtlpSpan, field: number, attributeCount: number): string {
  if (field === 9) return fieldSegment(SPAN_FIELDS, field, attributeCount);
  if (field === 11) return fieldSegment(SPAN_FIELDS, field, span.events.length);
  if (field === 13) return fieldSegment(SPAN_FIELDS, field, span.links.length);
  return fieldSegment(SPAN_FIELDS, field);
}

function decodeEvent(reader: ProtoReader, end: number): OtlpSpanEvent {
  const event: OtlpSpanEvent = { timeUnixNano: 0n, name: '', attributes: {} };
  let attributeCount = 0;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === EVENT_ATTRIBUTES) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), event.attributes, 0);
        attributeCount++;
      } else if (tag === EVENT_TIME) event.timeUnixNano = reader.readFixed64();
      else if (tag === EVENT_NAME) event.name = reader.readRepeatedString(end);
      else skipField(reader, tag, end, EVENT_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(
      error,
      fieldSegment(EVENT_FIELDS, field, field === 3 ? attributeCount : undefined),
    );
  }
  return event;
}

function decodeLink(reader: ProtoReader, end: number): OtlpSpanLink {
  const link: OtlpSpanLink = { traceId: '', spanId: '', attributes: {} };
  let attributeCount = 0;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === LINK_TRACE_ID) link.traceId = reader.readHex(end);
      else if (tag === LINK_SPAN_ID) link.spanId = reader.readHex(end);
      else if (tag === LINK_ATTRIBUTES) {
        decodeKeyValueInto(reader, reader.readLengthEnd(end), link.attributes, 0);
        attributeCount++;
      } else skipField(reader, tag, end, LINK_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(
      error,
      fieldSegment(LINK_FIELDS, field, field === 4 ? attributeCount : undefined),
    );
  }
  return link;
}

function decodeStatus(reader: ProtoReader, end: number): { code: number; message: string } {
  const status = { code: 0, message: '' };
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const tag = reader.readTag();
      field = tag >>> 3;
      if (tag === STATUS_CODE) status.code = reader.readInt32();
      else if (tag === STATUS_MESSAGE) status.message = reader.readString(end);
      else skipField(reader, tag, end, STATUS_FIELDS);
    }
    reader.expectEnd(end);
  } catch (error) {
    throw withSegment(error, fieldSegment(STATUS_FIELDS, field));
  }
  return status;
}
