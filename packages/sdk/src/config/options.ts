import type { RedactionPolicy } from '@foghorn/redact';
import type { MetricProducer, MetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FoghornLogger } from '../telemetry/logger.ts';
import type { ExporterKind } from './defaults.ts';

/** The options of `init()`. Each one falls back to its environment variable, then to `SDK_DEFAULTS`. */
export interface FoghornOptions {
  /** `service.name`; env `OTEL_SERVICE_NAME`. */
  serviceName?: string;
  /** `service.version`; env `FOGHORN_SERVICE_VERSION` or `service.version` in `OTEL_RESOURCE_ATTRIBUTES`. */
  serviceVersion?: string;
  /** `deployment.environment.name`; env `FOGHORN_ENVIRONMENT`. */
  environment?: string;
  /** More resource attributes; env `OTEL_RESOURCE_ATTRIBUTES`. */
  resourceAttributes?: Record<string, string>;
  /** OTLP/HTTP base URL; `/v1/traces` and `/v1/metrics` are appended. Env `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  endpoint?: string;
  /** Headers of every OTLP request, such as an authorization token; env `OTEL_EXPORTER_OTLP_HEADERS`. */
  headers?: Record<string, string>;
  /** Foghorn's main URL for `score()`; env `FOGHORN_URL`. */
  apiUrl?: string;
  /** The destination of spans and metrics; env `FOGHORN_EXPORTER`. */
  exporter?: ExporterKind;
  /** Records the GenAI metrics next to the spans; env `FOGHORN_METRICS`. Default true. */
  metrics?: boolean;
  /** Records prompts and completions, after redaction; env `FOGHORN_CAPTURE_CONTENT`. Default false. */
  captureContent?: boolean;
  /** The `@foghorn/redact` policy applied to captured content. */
  redaction?: Partial<RedactionPolicy>;
  /** Interval between metric exports; env `FOGHORN_METRIC_EXPORT_INTERVAL_MS` or `OTEL_METRIC_EXPORT_INTERVAL`. */
  metricExportIntervalMs?: number;
  /** Time limit of one export request. */
  exportTimeoutMs?: number;
  /** Spans kept in memory while waiting for export; more are dropped and counted. */
  maxQueuedSpans?: number;
  /** Registers the providers, a context manager and W3C propagators with the OTel API. Default true. */
  registerGlobal?: boolean;
  /** Replaces a global provider that the host registered before. Default false: the host's stays. */
  replaceGlobalProviders?: boolean;
  /** Module exports to patch, so that every client created from them is instrumented. */
  patch?: { openai?: unknown; anthropic?: unknown };
  /** More span processors, run after the SDK's own, such as a host's exporter to a second backend. */
  spanProcessors?: SpanProcessor[];
  /**
   * More metric readers, such as a Prometheus exporter or an in-memory reader
   * in tests. Pass a function that builds the reader from the options it
   * receives, so the reader gets the SDK's metric producer. A reader built
   * before `init()` cannot take that producer, so one such reader makes the SDK
   * record every GenAI metric through OTel instruments, which costs a few
   * microseconds more per call.
   */
  metricReaders?: (MetricReader | MetricReaderFactory)[];
  /** Receives the SDK's own diagnostics; default prints nothing. */
  logger?: FoghornLogger;
}

/**
 * Builds a metric reader that reports the SDK's metrics, such as
 * `(options) => new PeriodicExportingMetricReader({ exporter, ...options })`.
 * `init()` calls it once.
 */
export type MetricReaderFactory = (options: { metricProducers: MetricProducer[] }) => MetricReader;
