import { SpanKindNumber, StatusCodeNumber } from '../ingest/otlp/otlp-model.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import {
  groupByResourceAndScope,
  hexToBytes,
  writeKeyValues,
  writeResource,
  writeScope,
} from './otlp-encode-common.ts';
import { ProtoWriter } from './proto-writer.ts';

/** Field numbers of `ExportTraceServiceRequest` and the messages inside it. */
const REQUEST = { resourceSpans: 1 } as const;
const RESOURCE_SPANS = { resource: 1, scopeSpans: 2 } as const;
const SCOPE_SPANS = { scope: 1, spans: 2 } as const;
const SPAN = {
  traceId: 1,
  spanId: 2,
  parentSpanId: 4,
  name: 5,
  kind: 6,
  startTimeUnixNano: 7,
  endTimeUnixNano: 8,
  attributes: 9,
  events: 11,
  status: 15,
} as const;
const EVENT = { timeUnixNano: 1, name: 2, attributes: 3 } as const;
const STATUS = { message: 2, code: 3 } as const;

/**
 * Encodes redacted canonical spans as an OTLP/protobuf `ExportTraceServiceRequest`.
 * The spans carry their stored attributes, so a receiver reads the same model,
 * usage and attribution. Links and trace state are not kept in the canonical
 * model and are not sent.
 */
export function encodeTraceRequest(spans: readonly CanonicalSpan[]): Uint8Array {
  const writer = new ProtoWriter();
  const groups = groupByResourceAndScope(
    spans,
    (span) => span.resourceAttributes,
    (span) => span.scopeName,
  );
  for (const group of groups) {
    writer.message(REQUEST.resourceSpans, (resourceSpans) => {
      writeResource(resourceSpans, RESOURCE_SPANS.resource, group.resource);
      for (const scope of group.scopes) {
        resourceSpans.message(RESOURCE_SPANS.scopeSpans, (scopeSpans) => {
          writeScope(scopeSpans, SCOPE_SPANS.scope, { name: scope.scopeName });
          for (const span of scope.items)
            scopeSpans.message(SCOPE_SPANS.spans, (child) => writeSpan(child, span));
        });
      }
    });
  }
  return writer.finish();
}

function writeSpan(writer: ProtoWriter, span: CanonicalSpan): void {
  writer.bytesField(SPAN.traceId, hexToBytes(span.traceId));
  writer.bytesField(SPAN.spanId, hexToBytes(span.spanId));
  if (span.parentSpanId !== null && span.parentSpanId !== '')
    writer.bytesField(SPAN.parentSpanId, hexToBytes(span.parentSpanId));
  writer.stringField(SPAN.name, span.name);
  writer.varintField(SPAN.kind, SpanKindNumber[span.spanKind]);
  writer.fixed64Field(SPAN.startTimeUnixNano, span.startTimeUnixNano);
  writer.fixed64Field(SPAN.endTimeUnixNano, span.endTimeUnixNano);
  writeKeyValues(writer, SPAN.attributes, span.attributes);
  for (const event of span.events) {
    writer.message(SPAN.events, (child) => {
      child.fixed64Field(EVENT.timeUnixNano, event.timeUnixNano);
      child.stringField(EVENT.name, event.name);
      writeKeyValues(child, EVENT.attributes, event.attributes);
    });
  }
  writer.message(SPAN.status, (status) => {
    if (span.statusMessage !== null && span.statusMessage !== '')
      status.stringField(STATUS.message, span.statusMessage);
    status.varintField(STATUS.code, StatusCodeNumber[span.statusCode]);
  });
}
