import { SPAN_ID_BYTES, TRACE_ID_BYTES, isAllZeroHex } from './hex-ids.ts';
import { Rejections, describeIdProblem } from './id-check.ts';
import type { OtlpSpan, OtlpSpanLink, OtlpTraceRequest, TraceDecodeResult } from './otlp-model.ts';

/**
 * Returns why a span cannot be stored, or '' when it can. A missing start time
 * is not a reason: ingest replaces it and flags the span.
 */
function describeSpanProblem(span: OtlpSpan): string {
  return (
    describeIdProblem('traceId', span.traceId, TRACE_ID_BYTES, true) ||
    describeIdProblem('spanId', span.spanId, SPAN_ID_BYTES, true) ||
    describeIdProblem('parentSpanId', span.parentSpanId, SPAN_ID_BYTES, false)
  );
}

function isValidLink(link: OtlpSpanLink): boolean {
  return (
    describeIdProblem('traceId', link.traceId, TRACE_ID_BYTES, true) === '' &&
    describeIdProblem('spanId', link.spanId, SPAN_ID_BYTES, true) === ''
  );
}

/** Drops links with unusable ids and counts them in `droppedLinksCount`. */
function dropInvalidLinks(span: OtlpSpan): void {
  if (span.links.every(isValidLink)) return;
  const links = span.links.filter(isValidLink);
  span.droppedLinksCount = (span.droppedLinksCount ?? 0) + span.links.length - links.length;
  span.links = links;
}

/**
 * Removes the spans that cannot be stored (ids of the wrong length or all-zero
 * ids) and counts them. An all-zero parent id means a root
 * span and becomes ''. Paths in the message use the indices of the request
 * as sent.
 */
export function rejectInvalidSpans(request: OtlpTraceRequest): TraceDecodeResult {
  const rejections = new Rejections();
  request.resourceSpans.forEach((resourceSpans, resourceIndex) => {
    resourceSpans.scopeSpans.forEach((scopeSpans, scopeIndex) => {
      const keptSpans: OtlpSpan[] = [];
      scopeSpans.spans.forEach((span, spanIndex) => {
        if (span.parentSpanId !== '' && isAllZeroHex(span.parentSpanId)) span.parentSpanId = '';
        const problem = describeSpanProblem(span);
        if (problem === '') {
          dropInvalidLinks(span);
          keptSpans.push(span);
        } else {
          const path = `resourceSpans[${resourceIndex}].scopeSpans[${scopeIndex}].spans[${spanIndex}]`;
          rejections.add(path, problem);
        }
      });
      scopeSpans.spans = keptSpans;
    });
  });
  return { request, rejectedSpans: rejections.count, rejectionMessage: rejections.message };
}
