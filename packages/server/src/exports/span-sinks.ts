import type { Logger } from 'pino';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/** Something that takes committed, redacted spans, such as the metrics registry or a forwarder. */
export interface SpanSink {
  readonly name: string;
  accept(spans: readonly CanonicalSpan[]): void;
}

/**
 * Returns the listener the ingestor calls after each commit. A failing sink is
 * logged and skipped, because the spans are already stored and acknowledged.
 */
export function createCommitListener(
  sinks: readonly SpanSink[],
  logger: Logger,
): (spans: readonly CanonicalSpan[]) => void {
  return (spans) => {
    for (const sink of sinks) {
      try {
        sink.accept(spans);
      } catch (error) {
        logger.error(
          { err: error, sink: sink.name, spans: spans.length },
          `span sink ${sink.name} failed; its data misses these spans`,
        );
      }
    }
  };
}
