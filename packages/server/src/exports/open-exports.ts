import type { Logger } from 'pino';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { LlmMetrics } from './llm-metrics.ts';
import { createCommitListener, type SpanSink } from './span-sinks.ts';

export interface ExportsConfig {
  logger: Logger;
  /** Tenants and features with their own label value on `/metrics`; default 20. */
  maxLabelValues?: number;
  now?: () => number;
}

/** The span-derived metrics and the loops that push data to other systems. */
export interface Exports {
  metrics: LlmMetrics;
  /** The listener the ingestor calls with committed, redacted spans. */
  onSpansCommitted(spans: readonly CanonicalSpan[]): void;
  start(): void;
  /** Stops the loops after a final flush; safe to call more than once. */
  stop(): Promise<void>;
}

/** Creates the metrics registry and the export loops the configuration asks for. */
export function openExports(config: ExportsConfig): Exports {
  const metrics = new LlmMetrics({ maxLabelValues: config.maxLabelValues, now: config.now });
  const sinks: SpanSink[] = [{ name: 'metrics', accept: (spans) => metrics.observe(spans) }];
  const onSpansCommitted = createCommitListener(sinks, config.logger);
  let stopping: Promise<void> | null = null;
  return {
    metrics,
    onSpansCommitted,
    start: () => undefined,
    stop: () => {
      stopping ??= Promise.resolve();
      return stopping;
    },
  };
}
