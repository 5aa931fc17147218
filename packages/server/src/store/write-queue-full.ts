/** Thrown when the write queue holds more spans than its limit; clients retry after `retryAfterSeconds`. */
export class WriteQueueFullError extends Error {
  readonly code = 'WRITE_QUEUE_FULL';

  constructor(
    readonly queuedSpans: number,
    readonly maxQueuedSpans: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `the write queue is full (${queuedSpans} spans waiting, limit ${maxQueuedSpans}); retry after ${retryAfterSeconds} s`,
    );
    this.name = 'WriteQueueFullError';
  }
}
