import type { Logger } from 'pino';
import type { OtlpMetricsRequest } from '../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { ForwardMetrics, targetLabel } from './forward-metrics.ts';
import { FORWARD_DEFAULTS } from './forward-settings.ts';
import type { RetryPolicy } from './http-delivery.ts';
import { encodeLogsRequest } from './otlp-encode-logs.ts';
import { encodeMetricsRequest } from './otlp-encode-metrics.ts';
import { encodeTraceRequest } from './otlp-encode-traces.ts';
import { SendQueue } from './send-queue.ts';

export interface OtlpForwarderOptions {
  /** Base URLs such as http://collector:4318; each signal goes to `<url>/v1/<signal>`. */
  endpoints: readonly string[];
  /** Headers sent with every request, such as an API key. */
  headers?: Readonly<Record<string, string>>;
  maxQueuedRequests?: number;
  retry?: Partial<RetryPolicy>;
  shutdownFlushMs?: number;
  logger: Logger;
}

const PROTOBUF_HEADERS = Object.freeze({ 'content-type': 'application/x-protobuf' });

/**
 * Sends received telemetry, after redaction and the content policy, to other
 * OTLP/HTTP endpoints as protobuf: each request is encoded once and queued for
 * every endpoint, and each endpoint has its own bounded queue and retries.
 */
export class OtlpForwarder {
  readonly metrics = new ForwardMetrics(
    'foghorn_otlp_forward',
    'Spans, metric data points and log records',
  );
  private readonly queues: { baseUrl: string; queue: SendQueue }[];
  private readonly headers: Readonly<Record<string, string>>;
  private readonly shutdownFlushMs: number;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: OtlpForwarderOptions) {
    const policy = { ...FORWARD_DEFAULTS.retry, ...options.retry };
    this.headers = options.headers ?? {};
    this.shutdownFlushMs = options.shutdownFlushMs ?? FORWARD_DEFAULTS.shutdownFlushMs;
    this.queues = options.endpoints.map((endpoint) => {
      const baseUrl = endpoint.replace(/\/+$/, '');
      const queue = new SendQueue({
        name: targetLabel(baseUrl),
        maxQueuedRequests: options.maxQueuedRequests ?? FORWARD_DEFAULTS.maxQueuedRequests,
        policy,
        headers: PROTOBUF_HEADERS,
        metrics: this.metrics,
        logger: options.logger,
      });
      return { baseUrl, queue };
    });
  }

  start(): void {
    if (this.queues.length === 0) return;
    this.options.logger.info(
      {
        endpoints: this.queues.map((entry) => targetLabel(entry.baseUrl)),
        headerNames: Object.keys(this.headers),
      },
      `forwarding OTLP traces, metrics and logs to ${this.queues.length} endpoints`,
    );
  }

  forwardSpans(spans: readonly CanonicalSpan[]): void {
    if (spans.length === 0 || this.queues.length === 0) return;
    this.enqueue('traces', encodeTraceRequest(spans), spans.length);
  }

  forwardMetrics(request: OtlpMetricsRequest): void {
    const points = countDataPoints(request);
    if (points === 0 || this.queues.length === 0) return;
    this.enqueue('metrics', encodeMetricsRequest(request), points);
  }

  forwardLogs(records: readonly StoredLogRecord[]): void {
    if (records.length === 0 || this.queues.length === 0) return;
    this.enqueue('logs', encodeLogsRequest(records), records.length);
  }

  /** Resolves when every queue is empty; for tests and shutdown. */
  async idle(): Promise<void> {
    await Promise.all(this.queues.map((entry) => entry.queue.idle()));
  }

  /** Flushes the queues for at most the shutdown flush time, then drops what is left. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.queues.map((entry) => entry.queue.stop(this.shutdownFlushMs)));
      if (this.queues.length > 0) this.options.logger.info('stopped OTLP forwarding');
    })();
    return this.stopping;
  }

  private enqueue(signal: 'traces' | 'metrics' | 'logs', body: Uint8Array, items: number): void {
    for (const { baseUrl, queue } of this.queues)
      queue.enqueue({
        signal,
        body,
        items,
        target: { url: `${baseUrl}/v1/${signal}`, headers: this.headers },
      });
  }
}

function countDataPoints(request: OtlpMetricsRequest): number {
  let count = 0;
  for (const resourceMetrics of request.resourceMetrics)
    for (const scopeMetrics of resourceMetrics.scopeMetrics)
      for (const metric of scopeMetrics.metrics) count += metric.data?.dataPoints.length ?? 0;
  return count;
}
