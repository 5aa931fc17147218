import type {
  OtlpSpan,
  OtlpSpanEvent,
  OtlpTraceRequest,
} from '../../../src/ingest/otlp/otlp-model.ts';
import {
  buildRequest,
  buildResourceSpans,
  buildSpan,
  hrTimeToUnixNano,
  syntheticSpanId,
  syntheticTraceId,
} from './otlp-builders.ts';
import { toAttributes } from './plain-attributes.ts';

interface ReadableSpanJson {
  name: string;
  attributes?: unknown;
  spanContext?: { traceId?: string; spanId?: string };
  parentSpanId?: string;
  kind?: number;
  status?: { code?: number; message?: string };
  resource?: { attributes?: unknown };
  instrumentationLibrary?: { name?: string };
  instrumentationScope?: { name?: string };
  startTime?: unknown;
  endTime?: unknown;
  events?: { name: string; attributes?: unknown; time?: unknown }[];
}

/**
 * Loads an array of OTel JS SDK `ReadableSpan`s serialised with `JSON.stringify`.
 * Spans without a `spanContext` get running span ids in one trace, and each span
 * becomes its own resource block because every span carries its own resource.
 */
export function loadReadableSpans(text: string): OtlpTraceRequest {
  const items = JSON.parse(text) as ReadableSpanJson[];
  return buildRequest(
    items.map((item, index) => {
      const scope = item.instrumentationScope?.name ?? item.instrumentationLibrary?.name ?? '';
      const resource = toAttributes(item.resource?.attributes);
      return buildResourceSpans(resource, scope, [toSpan(item, index)]);
    }),
  );
}

function toSpan(item: ReadableSpanJson, index: number): OtlpSpan {
  return buildSpan({
    name: item.name,
    attributes: toAttributes(item.attributes),
    traceId: item.spanContext?.traceId ?? syntheticTraceId(0),
    spanId: item.spanContext?.spanId ?? syntheticSpanId(index),
    parentSpanId: item.parentSpanId ?? '',
    kind: item.kind ?? 0,
    startTimeUnixNano: hrTimeToUnixNano(item.startTime),
    endTimeUnixNano: hrTimeToUnixNano(item.endTime),
    events: (item.events ?? []).map(toEvent),
    status: { code: item.status?.code ?? 0, message: item.status?.message ?? '' },
  });
}

function toEvent(event: { name: string; attributes?: unknown; time?: unknown }): OtlpSpanEvent {
  return {
    name: event.name,
    attributes: toAttributes(event.attributes),
    timeUnixNano: hrTimeToUnixNano(event.time),
  };
}
