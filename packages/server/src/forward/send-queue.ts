import type { Logger } from 'pino';
import type { ForwardMetrics } from './forward-metrics.ts';
import { postBody, sendWithRetries, type RetryPolicy, type SendTarget } from './http-delivery.ts';

/** One encoded request waiting to be sent. */
export interface QueuedRequest {
  /** `traces`, `metrics`, `logs` or, for remote write, `samples`. */
  signal: string;
  target: SendTarget;
  body: Uint8Array;
  /** Spans, data points, log records or samples in the body, for the counters. */
  items: number;
}

export interface SendQueueOptions {
  /** Label value of the target on `/metrics`. */
  name: string;
  maxQueuedRequests: number;
  policy: RetryPolicy;
  /** Headers every request of this queue carries, such as the content type. */
  headers: Readonly<Record<string, string>>;
  metrics: ForwardMetrics;
  logger: Logger;
}

/**
 * A bounded FIFO of requests to one target with one sender, so requests arrive in
 * order and never overlap. A full queue drops the new request: the first drop of a
 * run logs one warning, and the next accepted request logs how many were dropped.
 */
export class SendQueue {
  private readonly queue: QueuedRequest[] = [];
  private readonly abort = new AbortController();
  private pumping: Promise<void> | null = null;
  private droppedInRun = 0;
  private stopped = false;

  constructor(private readonly options: SendQueueOptions) {}

  /** Adds a request; returns false when it was dropped because the queue is full or stopped. */
  enqueue(request: QueuedRequest): boolean {
    if (this.stopped || this.queue.length >= this.options.maxQueuedRequests) {
      this.drop(request);
      return false;
    }
    this.endDropRun();
    this.queue.push(request);
    this.updateGauge();
    this.pumping ??= this.pump().finally(() => {
      this.pumping = null;
    });
    return true;
  }

  /** Requests waiting, the one being sent excluded. */
  get size(): number {
    return this.queue.length;
  }

  /** Resolves when every queued request has been delivered, failed or dropped. */
  async idle(): Promise<void> {
    while (this.pumping !== null) await this.pumping;
  }

  /**
   * Stops retrying, then gives each waiting request one attempt until
   * `flushTimeoutMs` has passed, and drops the rest. Safe to call more than once.
   */
  async stop(flushTimeoutMs: number): Promise<void> {
    if (this.stopped) return this.idle();
    this.stopped = true;
    this.abort.abort();
    await this.idle();
    const deadlineMs = Date.now() + flushTimeoutMs;
    while (this.queue.length > 0) {
      const request = this.queue.shift()!;
      const remainingMs = deadlineMs - Date.now();
      if (remainingMs <= 0) {
        this.drop(request);
        continue;
      }
      const outcome = await postBody(
        request.target,
        request.body,
        this.options.headers,
        remainingMs,
      );
      this.record(request, outcome.kind === 'delivered' ? 'delivered' : 'failed', outcome);
    }
    this.endDropRun();
    this.updateGauge();
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const request = this.queue[0]!;
      const { outcome, attempts } = await sendWithRetries(
        request.target,
        request.body,
        this.options.headers,
        this.options.policy,
        this.abort.signal,
        (retry, delayMs) => this.onRetry(request, retry.error, delayMs),
      );
      // On shutdown a request still being retried stays queued for the final flush.
      if (this.stopped && outcome.kind === 'retry') return;
      this.queue.shift();
      this.updateGauge();
      this.record(
        request,
        outcome.kind === 'delivered' ? 'delivered' : 'failed',
        outcome,
        attempts,
      );
    }
  }

  private onRetry(request: QueuedRequest, error: string, delayMs: number): void {
    this.options.metrics.retries.add({ target: this.options.name, signal: request.signal }, 1);
    this.options.logger.warn(
      { target: this.options.name, signal: request.signal, error, delayMs },
      `${request.signal} export of ${request.items} items to ${this.options.name} failed; retrying in ${delayMs} ms`,
    );
  }

  private record(
    request: QueuedRequest,
    result: 'delivered' | 'failed',
    outcome: { kind: string; error?: string },
    attempts = 1,
  ): void {
    this.options.metrics.count(this.options.name, request.signal, result, request.items);
    if (result === 'failed')
      this.options.logger.error(
        { target: this.options.name, signal: request.signal, attempts, error: outcome.error },
        `${request.signal} export of ${request.items} items to ${this.options.name} failed after ${attempts} attempts; the items are dropped`,
      );
  }

  private drop(request: QueuedRequest): void {
    this.options.metrics.count(this.options.name, request.signal, 'dropped', request.items);
    if (this.droppedInRun === 0)
      this.options.logger.warn(
        { target: this.options.name, maxQueuedRequests: this.options.maxQueuedRequests },
        `export queue of ${this.options.name} is full or stopped; dropping requests until it has room`,
      );
    this.droppedInRun++;
  }

  private endDropRun(): void {
    if (this.droppedInRun === 0) return;
    this.options.logger.warn(
      { target: this.options.name, droppedRequests: this.droppedInRun },
      `export queue of ${this.options.name} dropped ${this.droppedInRun} requests`,
    );
    this.droppedInRun = 0;
  }

  private updateGauge(): void {
    this.options.metrics.queued.set({ target: this.options.name }, this.queue.length);
  }
}
