import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { WriteQueueFullError } from './write-queue-full.ts';

/** Default limit of spans waiting for a commit; above it writes are rejected with WriteQueueFullError. */
export const DEFAULT_MAX_QUEUED_SPANS = 32_768;

interface PendingWrite {
  spans: readonly CanonicalSpan[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Group commit of span writes: writes that arrive while a commit runs wait and
 * share the next one, and each write resolves only after the commit that
 * contains its spans has returned. When a shared commit fails, its writes are
 * committed one at a time, so only the writes that fail alone are rejected.
 */
export class GroupCommit {
  private readonly pending: PendingWrite[] = [];
  private flushing = false;
  private closed = false;
  private queuedSpans = 0;

  /** `commit` stores one batch and resolves once it is durable; `storeName` names the store in errors. */
  constructor(
    private readonly commit: (spans: CanonicalSpan[]) => Promise<void>,
    private readonly storeName: string,
    private readonly maxQueuedSpans = DEFAULT_MAX_QUEUED_SPANS,
  ) {}

  write(spans: readonly CanonicalSpan[]): Promise<void> {
    if (this.closed)
      return Promise.reject(
        new Error(
          `the ${this.storeName} span writer is closed because the store is shutting down; retry against the restarted server`,
        ),
      );
    if (spans.length === 0) return Promise.resolve();
    if (this.queuedSpans > 0 && this.queuedSpans + spans.length > this.maxQueuedSpans) {
      return Promise.reject(new WriteQueueFullError(this.queuedSpans, this.maxQueuedSpans, 1));
    }
    this.queuedSpans += spans.length;
    return new Promise((resolve, reject) => {
      this.pending.push({ spans, resolve, reject });
      void this.flush();
    });
  }

  /** Rejects new writes and waits until every queued one is committed or failed. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.pending.length > 0) {
      await this.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Commits each write of a failed group on its own, after the failed commit rolled back, so a
   * write whose data the store rejects fails alone and the other writes of its group are kept.
   */
  private async commitEachAlone(batch: readonly PendingWrite[]): Promise<void> {
    for (const write of batch) {
      try {
        await this.commit([...write.spans]);
        write.resolve();
      } catch (error) {
        write.reject(error as Error);
      }
    }
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, this.pending.length);
    try {
      await this.commit(batch.flatMap((write) => write.spans));
      for (const write of batch) write.resolve();
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error as Error);
      else await this.commitEachAlone(batch);
    } finally {
      for (const write of batch) this.queuedSpans -= write.spans.length;
      this.flushing = false;
    }
    if (this.pending.length > 0) void this.flush();
  }
}
