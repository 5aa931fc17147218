import { attributeSpans } from '../enrich/attribution.ts';
import { applyKeyAttribution, type KeyAttribution } from '../enrich/key-attribution.ts';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { type WrappedCalls, uncountWrappedCalls } from '../enrich/nested-calls.ts';
import { priceSpan } from '../enrich/pricing.ts';
import { normalizeTraceRequest } from '../semconv/normalize.ts';
import type { SpanPrivacy } from '../privacy/span-privacy.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import type { OtlpTraceRequest } from './otlp/otlp-model.ts';
import { applySpanLimits } from './span-limits.ts';
import { correctSpanTimes, unixNanoFromMs } from './timestamps.ts';

/**
 * Normalizes, checks the times of, attributes and prices the spans of one decoded
 * request, then redacts them with `privacy`, which counts them under `projectId`.
 * Attribution reads the raw user id first so that the privacy step can pseudonymize it.
 */
export function enrichTraceRequest(
  request: OtlpTraceRequest,
  receivedAtUnixMs: number,
  privacy: SpanPrivacy,
  projectId?: string,
  wrappedCalls?: WrappedCalls,
): CanonicalSpan[] {
  const receivedAtUnixNano = unixNanoFromMs(receivedAtUnixMs);
  for (const resourceSpans of request.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) correctSpanTimes(span, receivedAtUnixNano);
    }
  }
  const spans = normalizeTraceRequest(request);
  for (const span of spans) applySpanLimits(span);
  uncountWrappedCalls(spans, projectId ?? DEFAULT_PROJECT_ID, wrappedCalls);
  attributeSpans(spans);
  for (const span of spans) priceSpan(span);
  privacy.redactSpans(spans, projectId);
  return spans;
}

/**
 * Enriches one decoded request into the spans of `projectId` to store, with the
 * ingest key's attribution for spans that have none.
 */
export function prepareTraceSpans(
  request: OtlpTraceRequest,
  receivedAtUnixMs: number,
  privacy: SpanPrivacy,
  projectId: string,
  keyAttribution: KeyAttribution = {},
  wrappedCalls?: WrappedCalls,
): CanonicalSpan[] {
  const spans = enrichTraceRequest(request, receivedAtUnixMs, privacy, projectId, wrappedCalls);
  for (const span of spans) span.projectId = projectId;
  applyKeyAttribution(spans, keyAttribution);
  return spans;
}
