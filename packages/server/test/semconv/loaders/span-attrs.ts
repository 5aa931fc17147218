import type { OtlpTraceRequest } from '../../../src/ingest/otlp/otlp-model.ts';
import { buildRequest, buildResourceSpans, buildSpan } from './otlp-builders.ts';
import { toAttributes } from './plain-attributes.ts';

/** Loads `{scopeName, spanName, attributes}`: one span with no ids, times or resource. */
export function loadSpanAttributes(text: string): OtlpTraceRequest {
  const item = JSON.parse(text) as { scopeName: string; spanName: string; attributes: unknown };
  const span = buildSpan({ name: item.spanName, attributes: toAttributes(item.attributes) });
  return buildRequest([buildResourceSpans({}, item.scopeName, [span])]);
}
