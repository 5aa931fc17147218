import type { CanonicalSpan, Operation } from '../semconv/canonical-span.ts';
import { RecentFingerprintMap, fingerprintOf } from '../recent-fingerprints.ts';
import { zeroUsage } from '../semconv/token-usage.ts';

/** Ingest issue of a model call span whose child span is the same call, seen closer to the provider. */
export const WRAPPED_CALL_ISSUE = 'llm_call_repeated_by_child';

/** Model call spans remembered per generation: between this many and twice as many. */
const GENERATION_SIZE = 65_536;

/**
 * Remembers the parents of recent model call spans, so that a model call span whose child
 * arrived in an earlier request, as OpenInference's default exporter sends each span on its
 * own, is recognized as a wrapper.
 */
export class WrappedCalls {
  /** Operation of a recent model call span, by the fingerprint of its project, trace and parent. */
  private readonly childOperations: RecentFingerprintMap<Operation>;

  constructor(generationSize = GENERATION_SIZE) {
    this.childOperations = new RecentFingerprintMap(generationSize, (operation) => operation);
  }

  remember(projectId: string, span: CanonicalSpan): void {
    this.childOperations.set(
      fingerprintOf(projectId, span.traceId, span.parentSpanId!),
      span.operation,
    );
  }

  childOperation(projectId: string, span: CanonicalSpan): Operation | undefined {
    return this.childOperations.get(fingerprintOf(projectId, span.traceId, span.spanId));
  }
}

function hasParent(span: CanonicalSpan): boolean {
  return span.parentSpanId !== null && span.parentSpanId !== span.spanId;
}

/**
 * Stops counting a model call span that has a direct child model call span of the same
 * operation, in the same request or, with `memory`, in an earlier one. Two instrumentations
 * then recorded one call: a framework's (LangChain through OpenInference, say) around the
 * provider client's. The child keeps the call, with the provider's own counts, and a retry
 * inside the wrapper counts as the second call it was. The wrapper stays a model span in the
 * trace, without usage, with WRAPPED_CALL_ISSUE.
 * NOTE: a wrapper that arrives before its child, or whose child the memory has dropped (or
 * never saw, before a restart), is still counted.
 */
export function uncountWrappedCalls(
  spans: readonly CanonicalSpan[],
  projectId: string,
  memory?: WrappedCalls,
): void {
  let calls = memory;
  for (const span of spans) {
    if (!span.isLlmCall || !hasParent(span)) continue;
    calls ??= new WrappedCalls(spans.length);
    calls.remember(projectId, span);
  }
  if (calls === undefined) return;
  for (const span of spans) {
    if (!span.isLlmCall || calls.childOperation(projectId, span) !== span.operation) continue;
    span.isLlmCall = false;
    span.usage = zeroUsage();
    span.ingestIssues.push(WRAPPED_CALL_ISSUE);
  }
}
