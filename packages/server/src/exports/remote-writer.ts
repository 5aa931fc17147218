import type { Logger } from 'pino';
import { ForwardMetrics, targetLabel } from '../forward/forward-metrics.ts';
import { FORWARD_DEFAULTS } from '../forward/forward-settings.ts';
import type { RetryPolicy } from '../forward/http-delivery.ts';
import { SendQueue } from '../forward/send-queue.ts';
import type { LlmMetrics } from './llm-metrics.ts';
import { encodeWriteRequest, toRemoteWriteSeries } from './remote-write-request.ts';
import { snappyCompress } from './snappy.ts';

export interface RemoteWriterOptions {
  /** Remote-write receiver URLs, such as http://prometheus:9090/api/v1/write. */
  urls: readonly string[];
  headers?: Readonly<Record<string, string>>;
  intervalMs?: number;
  retry?: Partial<RetryPolicy>;
  logger: Logger;
  now?: () => number;
}

/** The headers remote-write 1.0 requires on every request. */
const REMOTE_WRITE_HEADERS = Object.freeze({
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
});

/**
 * Pushes the span-derived metrics to Prometheus remote-write receivers on an
 * interval: every series of `/metrics` with one sample at the send time. Each
 * URL has a queue of one request, so while a request is retried the next
 * snapshot is dropped and counted; the snapshot after it carries the newer totals.
 */
export class RemoteWriter {
  readonly metrics = new ForwardMetrics('foghorn_remote_write', 'Samples');
  private readonly queues: { url: string; queue: SendQueue }[];
  private readonly intervalMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly source: LlmMetrics,
    private readonly options: RemoteWriterOptions,
  ) {
    this.intervalMs = options.intervalMs ?? FORWARD_DEFAULTS.remoteWriteIntervalMs;
    this.now = options.now ?? Date.now;
    const policy = { ...FORWARD_DEFAULTS.retry, ...options.retry };
    this.queues = options.urls.map((url) => ({
      url,
      queue: new SendQueue({
        name: targetLabel(url),
        maxQueuedRequests: 1,
        policy,
        headers: REMOTE_WRITE_HEADERS,
        metrics: this.metrics,
        logger: options.logger,
      }),
    }));
  }

  start(): void {
    if (this.queues.length === 0 || this.timer !== null || this.stopping !== null) return;
    this.timer = setInterval(() => this.writeOnce(), this.intervalMs);
    this.timer.unref();
    this.options.logger.info(
      { targets: this.queues.map((entry) => targetLabel(entry.url)), intervalMs: this.intervalMs },
      `sending metrics by Prometheus remote write every ${this.intervalMs} ms`,
    );
  }

  /** Queues one snapshot of every series for each URL. */
  writeOnce(): void {
    if (this.queues.length === 0) return;
    const series = toRemoteWriteSeries(this.source.collect());
    if (series.length === 0) return;
    const body = snappyCompress(encodeWriteRequest(series, this.now()));
    for (const { url, queue } of this.queues)
      queue.enqueue({
        signal: 'samples',
        body,
        items: series.length,
        target: { url, headers: this.options.headers ?? {} },
      });
  }

  /** Resolves when no request is queued or in flight. */
  async idle(): Promise<void> {
    await Promise.all(this.queues.map((entry) => entry.queue.idle()));
  }

  /** Stops the timer and sends a last snapshot. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.timer !== null) clearInterval(this.timer);
      this.timer = null;
      if (this.queues.length === 0) return;
      this.writeOnce();
      await Promise.all(
        this.queues.map((entry) => entry.queue.stop(FORWARD_DEFAULTS.shutdownFlushMs)),
      );
      this.options.logger.info('stopped Prometheus remote write');
    })();
    return this.stopping;
  }
}
