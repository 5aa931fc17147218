import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DropReporter } from './drop-reporter.ts';

/**
 * Forwards ended spans to a batch processor while fewer than `maxQueuedSpans`
 * wait for export, and counts the rest as dropped, so a Foghorn that is down
 * costs bounded memory and two log lines.
 */
export class QueueGuardSpanProcessor implements SpanProcessor {
  private queued = 0;

  constructor(
    private readonly inner: SpanProcessor,
    private readonly maxQueuedSpans: number,
    private readonly drops: DropReporter,
  ) {}

  /** Called by the exporter wrapper when a batch leaves the queue, exported or not. */
  release(count: number): void {
    this.queued = Math.max(0, this.queued - count);
  }

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (this.queued >= this.maxQueuedSpans) {
      this.drops.drop(1, `more than ${this.maxQueuedSpans} spans wait for export`);
      return;
    }
    this.queued++;
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
