import type { Attributes, Context, Span, SpanKind } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { ModelCallError } from './llm-gateway.ts';
import type { RequestScope } from './request-scope.ts';

export interface OpenSpan {
  span: Span;
  /** The parent context for children of this span. */
  context: Context;
}

/** Starts a span at the scope's clock time, with the request's attribution attributes. */
export function openSpan(
  scope: RequestScope,
  parent: Context,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
): OpenSpan {
  const span = scope.tracer.startSpan(
    name,
    { kind, startTime: scope.clock.nowMs(), attributes: { ...attributes, ...scope.attribution } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Marks the span failed with an `error.type` and the error's message. */
export function markFailed(span: Span, errorType: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  if (error instanceof Error) span.recordException(error);
}

/**
 * Runs `work` inside a span that ends when the work ends. A failed model call
 * marks the span failed with the call's `error.type`, or with
 * `failureAttributes` when given; a cancelled call leaves it open and unexported.
 */
export async function inSpan<T>(
  scope: RequestScope,
  parent: Context,
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: (context: Context, span: Span) => Promise<T>,
  failureAttributes?: Attributes,
): Promise<T> {
  const { span, context } = openSpan(scope, parent, name, kind, attributes);
  try {
    const result = await work(context, span);
    span.end(scope.clock.nowMs());
    return result;
  } catch (error) {
    if (!(error instanceof ModelCallError) || error.errorType === 'cancelled') throw error;
    markFailed(span, error.errorType, error.cause);
    if (failureAttributes !== undefined) span.setAttributes(failureAttributes);
    span.end(scope.clock.nowMs());
    throw error;
  }
}
