import type { SpanContext } from '@opentelemetry/api';

const spanContexts = new WeakMap<object, SpanContext>();

export function rememberSpanContext(result: object, spanContext: SpanContext): void {
  spanContexts.set(result, spanContext);
}

/**
 * Returns the span context of the call that produced `result` (a completion,
 * message, embeddings response or stream returned by an instrumented client),
 * or undefined for any other value. Use its `traceId` with `score()`.
 */
export function spanContextOf(result: unknown): SpanContext | undefined {
  return result !== null && typeof result === 'object' ? spanContexts.get(result) : undefined;
}
