import { attributeSpans } from '../enrich/attribution.ts';
import { priceSpan } from '../enrich/pricing.ts';
import { normalizeTraceRequest } from '../semconv/normalize.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import type { Store } from '../store/store.ts';
import type { OtlpTraceRequest } from './otlp/otlp-model.ts';

/** Normalizes, attributes and prices the spans of one decoded request. */
export function enrichTraceRequest(request: OtlpTraceRequest): CanonicalSpan[] {
  const spans = normalizeTraceRequest(request);
  attributeSpans(spans);
  for (const span of spans) priceSpan(span);
  return spans;
}

/** Stores one decoded request; resolves after the commit that contains its spans. */
export async function ingestTraceRequest(store: Store, request: OtlpTraceRequest): Promise<number> {
  const spans = enrichTraceRequest(request);
  await store.writeSpans(spans);
  return spans.length;
}
