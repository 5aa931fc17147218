import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { SerialQueue } from '../duckdb/serial.ts';
import { DEFAULT_MAX_QUEUED_SPANS, GroupCommit } from '../group-commit.ts';
import type { ClickHouseDriver } from './driver.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import { mutationTarget, tableName, type ClickHouseLayout } from './layout.ts';
import { refreshFilledTraces } from './rollup-refresh.ts';
import { dropDuplicateSpans } from './span-dedupe.ts';
import { spanToRow } from './span-rows.ts';

/**
 * Inserts spans with group commit: writes that arrive while an insert runs wait and share
 * the next one, so ClickHouse gets few large inserts, and each write resolves only after
 * the insert holding its spans has returned.
 */
export class SpanWriter {
  private readonly groupCommit: GroupCommit;
  private readonly inheritor = new AttributionInheritor();
  /** Inserts and later changes of stored spans, one at a time. */
  private readonly queue = new SerialQueue();

  constructor(
    private readonly driver: ClickHouseDriver,
    private readonly layout: ClickHouseLayout,
    maxQueuedSpans = DEFAULT_MAX_QUEUED_SPANS,
  ) {
    this.groupCommit = new GroupCommit(
      (spans) => this.queue.run(() => this.insertBatch(spans)),
      'ClickHouse',
      maxQueuedSpans,
    );
  }

  write(spans: readonly CanonicalSpan[]): Promise<void> {
    return this.groupCommit.write(spans);
  }

  /** Runs `task` between two inserts. */
  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(task);
  }

  /** Waits for queued writes, then rejects new ones. */
  async close(): Promise<void> {
    await this.groupCommit.close();
    await this.queue.idle();
  }

  private async insertBatch(batch: readonly CanonicalSpan[]): Promise<void> {
    const spansTable = tableName(this.layout, 'spans');
    const spans = await dropDuplicateSpans(this.driver, spansTable, batch);
    if (spans.length === 0) return;
    this.inheritor.fillFromKnownRoots(spans);
    await this.driver.insert(spansTable, spans.map(spanToRow));
    await this.inheritor.afterWrite(
      this.driver,
      mutationTarget(this.layout, 'spans'),
      spans,
      (filled) => refreshFilledTraces(this.driver, this.layout, filled),
    );
  }
}
