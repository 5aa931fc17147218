import type { Logger } from 'pino';
import { OtlpForwarder } from '../forward/otlp-forwarder.ts';
import type { OtlpMetricsRequest } from '../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { LlmMetrics } from './llm-metrics.ts';
import { RemoteWriter } from './remote-writer.ts';
import { createCommitListener, type SpanSink } from './span-sinks.ts';

export interface ExportsConfig {
  logger: Logger;
  /** Tenants and features with their own label value on `/metrics`; default 20. */
  maxLabelValues?: number;
  now?: () => number;
  /** OTLP/HTTP base URLs that receive every redacted span, metric data point and log record. */
  forwardOtlp?: { endpoints: readonly string[]; headers?: Readonly<Record<string, string>> };
  /** Prometheus remote-write URLs that receive the `/metrics` series every `intervalMs`. */
  remoteWrite?: {
    urls: readonly string[];
    headers?: Readonly<Record<string, string>>;
    intervalMs?: number;
  };
}

/** The span-derived metrics and the loops that push data to other systems. */
export interface Exports {
  metrics: LlmMetrics;
  forwarder: OtlpForwarder;
  remoteWriter: RemoteWriter;
  /** The listener the ingestor calls with committed, redacted spans. */
  onSpansCommitted(spans: readonly CanonicalSpan[]): void;
  /** Called with each redacted metrics request after its points are committed. */
  onMetricsCommitted(request: OtlpMetricsRequest): void;
  /** Called with the redacted log records of each request after their commit. */
  onLogsCommitted(records: readonly StoredLogRecord[]): void;
  start(): void;
  /** Stops the loops after a final flush; safe to call more than once. */
  stop(): Promise<void>;
}

/** Creates the metrics registry and the export loops the configuration asks for. */
export function openExports(config: ExportsConfig): Exports {
  const metrics = new LlmMetrics({ maxLabelValues: config.maxLabelValues, now: config.now });
  const forwarder = new OtlpForwarder({
    endpoints: config.forwardOtlp?.endpoints ?? [],
    headers: config.forwardOtlp?.headers,
    logger: config.logger,
  });
  const remoteWriter = new RemoteWriter(metrics, {
    urls: config.remoteWrite?.urls ?? [],
    headers: config.remoteWrite?.headers,
    intervalMs: config.remoteWrite?.intervalMs,
    logger: config.logger,
    now: config.now,
  });
  for (const family of [...forwarder.metrics.families(), ...remoteWriter.metrics.families()])
    metrics.register(family);
  const sinks: SpanSink[] = [
    { name: 'metrics', accept: (spans) => metrics.observe(spans) },
    { name: 'otlp-forward', accept: (spans) => forwarder.forwardSpans(spans) },
  ];
  const onSpansCommitted = createCommitListener(sinks, config.logger);
  let stopping: Promise<void> | null = null;
  return {
    metrics,
    forwarder,
    remoteWriter,
    onSpansCommitted,
    onMetricsCommitted: (request) => forwarder.forwardMetrics(request),
    onLogsCommitted: (records) => forwarder.forwardLogs(records),
    start: () => {
      forwarder.start();
      remoteWriter.start();
    },
    stop: () => {
      stopping ??= Promise.all([remoteWriter.stop(), forwarder.stop()]).then(() => undefined);
      return stopping;
    },
  };
}
