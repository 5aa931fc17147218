import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { zeroUsage } from '../semconv/token-usage.ts';

/** Ingest issue of a model call span whose child span is the same call, seen closer to the provider. */
export const WRAPPED_CALL_ISSUE = 'llm_call_repeated_by_child';

/**
 * Stops counting a model call span that has a model call span as a direct child in the same
 * batch. Two instrumentations then recorded one call: a framework's (LangChain through
 * OpenInference, say) around the provider client's. The child keeps the call, with the
 * provider's own counts, and a retry inside the wrapper counts as the second call it was.
 * The wrapper stays a model span in the trace, without usage, with WRAPPED_CALL_ISSUE.
 * NOTE: a wrapper whose child arrived in an earlier request is still counted.
 */
export function uncountWrappedCalls(spans: readonly CanonicalSpan[]): void {
  let parentKeys: Set<string> | null = null;
  for (const span of spans) {
    if (!span.isLlmCall || span.parentSpanId === null) continue;
    parentKeys ??= new Set();
    parentKeys.add(`${span.traceId}/${span.parentSpanId}`);
  }
  if (parentKeys === null) return;
  for (const span of spans) {
    if (!span.isLlmCall || !parentKeys.has(`${span.traceId}/${span.spanId}`)) continue;
    span.isLlmCall = false;
    span.usage = zeroUsage();
    span.ingestIssues.push(WRAPPED_CALL_ISSUE);
  }
}
