import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { SerialQueue } from '../duckdb/serial.ts';
import { WriteQueueFullError } from '../write-queue-full.ts';
import type { ClickHouseDriver } from './driver.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import { mutationTarget, tableName, type ClickHouseLayout } from './layout.ts';
import { refreshFilledTraces } from './rollup-refresh.ts';
import { dropDuplicateSpans } from './span-dedupe.ts';
import { spanToRow } from './span-rows.ts';

/** Default limit of spans waiting for an insert; above it writes are rejected with WriteQueueFullError. */
export const DEFAULT_MAX_QUEUED_SPANS = 32_768;

interface PendingWrite {
  spans: readonly CanonicalSpan[];
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Inserts spans with group commit: writes that arrive while an insert runs wait and share
 * the next one, so ClickHouse gets few large inserts, and each write resolves only after
 * the insert holding its spans has returned.
 */
export class SpanWriter {
  private readonly pending: PendingWrite[] = [];
  private flushing = false;
  private closed = false;
  private queuedSpans = 0;
  private readonly inheritor = new AttributionInheritor();
  /** Inserts and later changes of stored spans, one at a time. */
  private readonly queue = new SerialQueue();

  constructor(
    private readonly driver: ClickHouseDriver,
    private readonly layout: ClickHouseLayout,
    private readonly maxQueuedSpans = DEFAULT_MAX_QUEUED_SPANS,
  ) {}

  write(spans: readonly CanonicalSpan[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the ClickHouse span writer is closed'));
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

  /** Runs `task` between two inserts. */
  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(task);
  }

  /** Waits for queued writes, then rejects new ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing || this.pending.length > 0) {
      await this.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.queue.idle();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, this.pending.length);
    try {
      await this.queue.run(() => this.insertBatch(batch.flatMap((write) => write.spans)));
      for (const write of batch) write.resolve();
    } catch (error) {
      for (const write of batch) write.reject(error as Error);
    } finally {
      for (const write of batch) this.queuedSpans -= write.spans.length;
      this.flushing = false;
    }
    if (this.pending.length > 0) void this.flush();
  }

  private async insertBatch(batch: readonly CanonicalSpan[]): Promise<void> {
    const spansTable = tableName(this.layout, 'spans');
    const spans = await dropDuplicateSpans(this.driver, spansTable, batch);
    if (spans.length === 0) return;
    this.inheritor.fillFromKnownRoots(spans);
    await this.driver.insert(spansTable, spans.map(spanToRow));
    const filled = await this.inheritor.afterWrite(
      this.driver,
      mutationTarget(this.layout, 'spans'),
      spans,
    );
    if (filled !== null) await refreshFilledTraces(this.driver, this.layout, filled);
  }
}
