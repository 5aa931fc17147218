import { serialize } from 'node:v8';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import { FoghornError } from '../../errors.ts';
import { DEFAULT_MAX_QUEUED_SPANS } from '../group-commit.ts';
import { WriteQueueFullError } from '../write-queue-full.ts';
import type { IngestLog, LogRecord } from './ingest-log.ts';
import {
  firstLine,
  invalidationRemedy,
  isDurableCommitError,
  isInvalidatedError,
  isOutOfMemoryError,
} from './invalidation.ts';
import { AttributionInheritor } from './inherit-attribution.ts';
import type { LimitedCheckpoints } from './limited-checkpoints.ts';
import { ROW_GROUP_SIZE } from './open-store-file.ts';
import { RollupDeltas } from './rollup-deltas.ts';
import { RollupCompaction, appendRollupDeltas, compactRollups } from './rollup-flush.ts';
import { SerialQueue } from './serial.ts';
import { decodeSpans, readSetAside } from './set-aside.ts';
import { appendSpans } from './span-append.ts';
import { SpanDeduplicator } from './span-dedupe.ts';

/** How long after a commit the rollup periods it touched are considered for compaction. */
const ROLLUP_COMPACTION_DELAY_MS = 1000;
/**
 * Logged spans waiting to be loaded above which an acknowledgement waits for the loader,
 * so that a client sending faster than DuckDB loads is slowed down instead of filling memory.
 */
const PACED_QUEUED_SPANS = 4096;
/**
 * Maximum time a load transaction stays open without a reader asking for its spans. Long
 * enough for a full row group at moderate load: DuckDB writes full row groups of a
 * transaction straight into the file, which costs far less than the WAL and checkpoints.
 */
const MAX_TRANSACTION_AGE_MS = 3000;
/** Attempts at loading one record on its own before it is set aside as rejected. */
const LOAD_ATTEMPTS = 3;
/**
 * The first and the longest wait before the loader tries again after DuckDB reached its
 * memory limit. Each wait doubles the one before, and such a failure is not counted as an attempt.
 */
const MEMORY_RETRY_FIRST_MS = 250;
const MEMORY_RETRY_MAX_MS = 5000;

/**
 * A COMMIT that failed because DuckDB reached its memory limit. DuckDB 1.5.6 can keep the
 * rows of such a commit in the trace id index: in a store of 10 million spans at a 256 MiB
 * limit, the next load failed with "Corrupted ART index" and DuckDB invalidated the file.
 */
class CommitOutOfMemoryError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'CommitOutOfMemoryError';
  }
}

/** The reason the loader stopped until a restart; requests that need the loader get 503 with it. */
class LoaderHaltedError extends FoghornError {
  constructor(message: string) {
    super('STORE_HALTED', message, 503);
  }
}

interface LoggedBatch {
  seq: number;
  spans: readonly CanonicalSpan[];
}

interface LoadTransaction {
  /** Sequence number of the last record appended in this transaction. */
  lastSeq: number;
  rows: number;
  startedAt: number;
  /** Roots appended here whose trace has stored children waiting for them. */
  arrivedRoots: CanonicalSpan[];
  /**
   * Rollup rows of the transaction's model calls, appended just before its COMMIT. Appended
   * with each load of 512 spans, they took about 6 ms of the event loop, mostly the fixed
   * cost of flushing four appenders. Appended once for 32 such loads, they took 8 ms.
   */
  rollupDeltas: RollupDeltas;
}

export interface SpanWriterOptions {
  /** Spans allowed to wait for loading before writes are rejected. */
  maxQueuedSpans?: number;
  /** Receives each error of the loader, with a sentence saying what failed and what happens next. */
  onStoreError?: (error: unknown, what: string) => void;
  /** Receives a record set aside after its loads failed, with the file that keeps it. */
  onRejectedRecord?: (seq: number, path: string, error: unknown) => void;
  /** Checkpoints under a memory limit, which the writer runs after its commits. Without it, DuckDB checkpoints on its own. */
  checkpoints?: LimitedCheckpoints;
}

/** The stored position of the ingest log: every record up to it is committed in DuckDB. */
export const INGEST_LOG_POSITION_SCHEMA: readonly string[] = [
  'CREATE TABLE IF NOT EXISTS ingest_log_position (committed_seq BIGINT NOT NULL)',
  'INSERT INTO ingest_log_position SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ingest_log_position)',
];

/** Reads the position of the ingest log from the store. */
export async function readIngestLogPosition(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(
    'SELECT max(committed_seq) FROM ingest_log_position',
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/**
 * Writes spans to the DuckDB store through Foghorn's ingest log. A write is
 * acknowledged once its batch is synced to the log. A loader then appends the
 * logged batches into one open transaction and commits it when it contains a full
 * row group, when it is a few seconds old, or when a reader needs the spans
 * (`flush`). The commit stores the log position with the spans, and the log
 * keeps every record above it, so a restart loads what the store had not
 * committed. When a load fails, the transaction rolls back and its records are
 * loaded again one at a time from the log. A record that keeps failing is set
 * aside in the log's `rejected` directory, so one bad batch does not hold up the
 * rest. When it cannot be set aside, loading stops until a restart. A load that fails
 * because DuckDB reached its memory limit is not the batch's fault: the loader waits and
 * tries again, sets nothing aside, and readers see the committed spans meanwhile.
 */
export class SpanWriter {
  private closed = false;
  private readonly deduplicator: SpanDeduplicator;
  private readonly inheritor = new AttributionInheritor();
  /** Loads, commits and other work on the write connection, one at a time. */
  private readonly connectionQueue = new SerialQueue();
  /** Rollup periods that commits appended rows to, and when to compact them. */
  private readonly compaction = new RollupCompaction();
  private compactionDueAt: number | null = null;
  private compactionTimer: NodeJS.Timeout | null = null;
  private readonly maxQueuedSpans: number;
  private readonly onStoreError: (error: unknown, what: string) => void;
  private readonly onRejectedRecord: (seq: number, path: string, error: unknown) => void;
  private readonly checkpoints: LimitedCheckpoints | null;
  private checkpointTimer: NodeJS.Timeout | null = null;

  /** Logged batches not yet taken by the loader, in log order. */
  private readonly queue: LoggedBatch[] = [];
  /** Spans of writes between their admission and their load. */
  private queuedSpans = 0;
  private loadScheduled = false;
  private transaction: LoadTransaction | null = null;
  private commitTimer: NodeJS.Timeout | null = null;
  private commitRequested = false;
  private committedSeq: number;
  /** Sequence number of the last acknowledged record. */
  private acknowledgedSeq: number;
  private readonly flushWaiters: { seq: number; resolve: () => void }[] = [];
  private readonly paceWaiters: (() => void)[] = [];
  /** The reason loading stopped until a restart, or null while it runs. */
  private halted: Error | null = null;
  /** The reason loads wait for DuckDB to free memory, or null while they succeed. */
  private stalled: string | null = null;
  /** The last record of the stall: every record up to it loads from the log before the queue. */
  private stalledThroughSeq = 0;
  private memoryWaitMs = MEMORY_RETRY_FIRST_MS;
  private stallTimer: NodeJS.Timeout | null = null;
  /** The first line of DuckDB's error for the last load that failed for lack of memory. */
  private stallCause = '';

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly log: IngestLog,
    committedSeq: number,
    options: SpanWriterOptions = {},
  ) {
    this.deduplicator = new SpanDeduplicator(connection);
    this.committedSeq = committedSeq;
    this.acknowledgedSeq = committedSeq;
    this.maxQueuedSpans = options.maxQueuedSpans ?? DEFAULT_MAX_QUEUED_SPANS;
    this.onStoreError = options.onStoreError ?? (() => undefined);
    this.onRejectedRecord = options.onRejectedRecord ?? (() => undefined);
    this.checkpoints = options.checkpoints ?? null;
    if (this.checkpoints !== null) {
      this.checkpointTimer = setInterval(() => {
        void this.connectionQueue.run(() => this.checkpointIfDue()).catch(() => undefined);
      }, this.checkpoints.checkIntervalMs);
      this.checkpointTimer.unref();
    }
  }

  /**
   * Loads recently stored span keys, so retries across a restart are still stored once, then
   * loads the logged records that the store had not committed.
   */
  async start(): Promise<void> {
    await this.deduplicator.warmUp();
    const lastLogged = this.log.lastSeq;
    this.acknowledgedSeq = Math.max(this.acknowledgedSeq, lastLogged);
    await this.connectionQueue.run(async () => {
      for (const record of this.log.records(this.committedSeq, lastLogged)) {
        if (this.halted !== null || this.stalled !== null) break;
        let spans: CanonicalSpan[];
        try {
          spans = decodeSpans(record.seq, record.payload);
        } catch {
          await this.commitOpen();
          if (this.halted !== null || this.stalled !== null) break;
          if ((await this.loadAlone(record)) === 'out of memory')
            this.stall(record.seq, lastLogged);
          continue;
        }
        // Counted as queued because appendOrRecover subtracts every batch it loads.
        this.queuedSpans += spans.length;
        await this.appendOrRecover([{ seq: record.seq, spans }]);
        if ((this.transaction?.rows ?? 0) >= ROW_GROUP_SIZE) await this.commitOpen();
      }
      if (this.stalled !== null) {
        // Nothing after the stalled record may load first: the server starts degraded, and the
        // stall's retry loads the rest of the log in order.
        this.stalledThroughSeq = Math.max(this.stalledThroughSeq, lastLogged);
        return;
      }
      await this.commitOpen();
    });
  }

  /** Resolves once the spans are synced to the ingest log, which makes them durable. */
  async write(spans: readonly CanonicalSpan[]): Promise<void> {
    if (this.closed) {
      throw new Error(
        'the DuckDB span writer is closed because the store is shutting down; retry against the restarted server',
      );
    }
    if (this.halted !== null) throw this.halted;
    if (spans.length === 0) return;
    if (this.queuedSpans > 0 && this.queuedSpans + spans.length > this.maxQueuedSpans) {
      throw new WriteQueueFullError(this.queuedSpans, this.maxQueuedSpans, 1);
    }
    this.queuedSpans += spans.length;
    let seq: number;
    try {
      seq = await this.log.append(serialize(spans));
    } catch (error) {
      this.queuedSpans -= spans.length;
      this.releasePace();
      throw error;
    }
    this.queue.push({ seq, spans });
    if (seq > this.acknowledgedSeq) this.acknowledgedSeq = seq;
    // The load starts on a later turn of the event loop, so the caller's reply goes out
    // before the appender calls for this batch (about 10 ms for 512 spans) take the loop.
    setImmediate(() => this.scheduleLoad());
    while (this.queuedSpans > PACED_QUEUED_SPANS && this.halted === null && this.stalled === null) {
      await new Promise<void>((resolve) => this.paceWaiters.push(resolve));
    }
  }

  /**
   * Resolves once every write acknowledged before the call is committed and visible to
   * readers. While loading has stopped or waits for memory, it resolves at once, and readers
   * see the spans committed so far.
   */
  flush(): Promise<void> {
    const seq = this.acknowledgedSeq;
    if (seq <= this.committedSeq || this.halted !== null || this.stalled !== null) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.flushWaiters.push({ seq, resolve });
      this.commitRequested = true;
      this.scheduleLoad();
    });
  }

  /**
   * Commits every acknowledged write and deletes the log segments that held them, so data
   * erased from the store right after does not stay behind in the log. Throws the reason
   * when loading has stopped, because the log then keeps records that a restart loads, and
   * throws while loads wait for memory, because those records would load after the erasure.
   */
  async purgeLog(): Promise<void> {
    await this.flush();
    this.log.rotate();
    // Records acknowledged between the flush and the rotation are in the old segment too.
    await this.flush();
    if (this.halted !== null) throw this.halted;
    // The records that wait would load after the erasure.
    if (this.stalled !== null) throw this.stalledError('emptying the ingest log');
    await this.log.release(this.committedSeq);
  }

  /**
   * Writes the set-aside batches to the log again, oldest first, and deletes each one once
   * its new record is synced, so the loader tries it again. A batch that fails again is set
   * aside again under its new sequence number. Spans already stored are left out, because a
   * crash between the write and the deletion leaves a batch that the restart loaded. Returns
   * the batches retried and the spans written.
   */
  async retrySetAside(): Promise<{ batches: number; spans: number }> {
    let batches = 0;
    let spans = 0;
    for (const batch of readSetAside(this.log)) {
      // With nothing queued, the write takes a batch of any size.
      await this.flush();
      const unstored = await this.connectionQueue.run(() =>
        this.deduplicator.withoutStored(batch.spans),
      );
      if (unstored.length > 0) await this.write(unstored);
      this.log.replaceRejected(batch.record, null);
      batches += 1;
      spans += unstored.length;
    }
    return { batches, spans };
  }

  /** Returns the reason loading stopped until a restart, or null while it runs. */
  haltReason(): string | null {
    return this.halted?.message ?? null;
  }

  /** Returns why loads wait for DuckDB to free memory, or null while they succeed. */
  stallReason(): string | null {
    return this.stalled;
  }

  /** Throws a 503 for `task` while loads wait for memory, because `task` would miss the stalled spans. */
  assertLoading(task: string): void {
    if (this.stalled !== null) throw this.stalledError(task);
  }

  /** Builds the 503 for `task`, which cannot run while loads wait for memory. */
  private stalledError(task: string): FoghornError {
    return new FoghornError(
      'STORE_OUT_OF_MEMORY',
      `${task} cannot run while DuckDB is at its memory limit: ingest log records ${this.committedSeq + 1} to ${this.acknowledgedSeq} are not loaded yet. Retry once /healthz returns ok, or raise --memory-limit.`,
      503,
      MEMORY_RETRY_MAX_MS / 1000,
    );
  }

  /**
   * Runs `task` on the write connection, after loading the waiting batches and committing them.
   * While loads wait for memory the batches stay queued, and `task` reads the committed spans.
   */
  runExclusive<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.connectionQueue.run(async () => {
      await this.loadQueued();
      await this.commitOpen();
      return this.lifted(() => task(this.connection));
    });
  }

  /** Loads the waiting batches and commits them, then compacts the rollup periods that are due. */
  compactRollups(): Promise<void> {
    return this.connectionQueue.run(async () => {
      await this.loadQueued();
      await this.commitOpen();
      await this.lifted(() => this.compactDue(true));
    });
  }

  /** Rejects new writes, loads and commits the logged ones, then compacts the rollups that are due. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.log.idle();
    await new Promise((resolve) => setImmediate(resolve));
    await this.flush();
    await this.compactRollups().catch(() => undefined);
    for (const timer of [this.commitTimer, this.compactionTimer, this.stallTimer]) {
      if (timer !== null) clearTimeout(timer);
    }
    if (this.checkpointTimer !== null) clearInterval(this.checkpointTimer);
    this.releasePace();
    if (this.halted === null && this.committedSeq >= this.log.lastSeq) {
      await this.log.release(this.committedSeq).catch(() => undefined);
    }
    await this.log.close();
  }

  private scheduleLoad(): void {
    if (this.loadScheduled || this.halted !== null) return;
    this.loadScheduled = true;
    void this.connectionQueue.run(() => this.loadStep()).catch(() => undefined);
  }

  private async loadStep(): Promise<void> {
    this.loadScheduled = false;
    // During a stall the queue waits for the stalled records, which the stall timer retries.
    if (this.halted !== null || this.stalled !== null) return;
    await this.loadQueued();
    if (this.transaction !== null && this.commitDue(this.transaction)) await this.commitOpen();
    if (this.queue.length > 0) this.scheduleLoad();
    else this.armCommitTimer();
  }

  /**
   * Appends the acknowledged batches that wait for the loader. Work queued on the connection
   * calls it first, because a write schedules its load only on a later turn of the event loop.
   */
  private async loadQueued(): Promise<void> {
    if (this.halted !== null || this.stalled !== null || this.queue.length === 0) return;
    await this.appendOrRecover(this.queue.splice(0, this.queue.length));
  }

  private commitDue(transaction: LoadTransaction): boolean {
    return (
      this.commitRequested ||
      this.closed ||
      transaction.rows >= ROW_GROUP_SIZE ||
      Date.now() - transaction.startedAt >= MAX_TRANSACTION_AGE_MS
    );
  }

  private armCommitTimer(): void {
    if (this.transaction === null || this.commitTimer !== null) return;
    const wait = Math.max(0, this.transaction.startedAt + MAX_TRANSACTION_AGE_MS - Date.now());
    this.commitTimer = setTimeout(() => {
      this.commitTimer = null;
      this.scheduleLoad();
    }, wait);
    this.commitTimer.unref();
  }

  /** Appends `batches` to the open transaction, and on failure rolls back and reloads from the log. */
  private async appendOrRecover(batches: readonly LoggedBatch[]): Promise<void> {
    const lastSeq = batches[batches.length - 1]!.seq;
    try {
      await this.appendToTransaction(batches);
    } catch (error) {
      await this.recover(error, lastSeq);
    } finally {
      for (const batch of batches) this.queuedSpans -= batch.spans.length;
      this.releasePace();
    }
  }

  private async appendToTransaction(batches: readonly LoggedBatch[]): Promise<void> {
    if (this.transaction === null) {
      await this.connection.run('BEGIN TRANSACTION');
      this.transaction = {
        lastSeq: this.committedSeq,
        rows: 0,
        startedAt: Date.now(),
        arrivedRoots: [],
        rollupDeltas: new RollupDeltas(),
      };
    }
    const transaction = this.transaction;
    transaction.lastSeq = batches[batches.length - 1]!.seq;
    const spans = await this.deduplicator.filter(
      batches.length === 1 ? batches[0]!.spans : batches.flatMap((batch) => batch.spans),
    );
    if (spans.length === 0) return;
    this.inheritor.fillFromKnownRoots(spans);
    await appendSpans(this.connection, spans);
    for (const span of spans) {
      if (span.isLlmCall) transaction.rollupDeltas.add(span);
    }
    // Remembered before the commit, so a later batch of this transaction finds them. After a
    // rollback, a remembered span is only a candidate, checked against the table, so it is kept.
    this.deduplicator.rememberAll(spans);
    transaction.arrivedRoots.push(...this.inheritor.recordAppended(spans));
    transaction.rows += spans.length;
  }

  /** Commits the open transaction, if any, and on failure rolls back and reloads from the log. */
  private async commitOpen(): Promise<void> {
    const transaction = this.transaction;
    if (transaction === null) return;
    try {
      await this.lifted(() => this.commitOrRollBack(transaction));
    } catch (error) {
      await this.recover(error, transaction.lastSeq);
    }
  }

  /**
   * Commits `transaction`, or rolls it back when the commit fails. The rollback comes before the
   * lifted limit is set again, because DuckDB rejects that SET in an aborted transaction.
   */
  private async commitOrRollBack(transaction: LoadTransaction): Promise<void> {
    try {
      await this.commit(transaction);
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  private async commit(transaction: LoadTransaction): Promise<void> {
    await this.appendRollupRows(this.connection, transaction.rollupDeltas);
    await this.storePosition(transaction.lastSeq);
    try {
      await this.connection.run('COMMIT');
    } catch (error) {
      if (isOutOfMemoryError(error)) throw new CommitOutOfMemoryError(error);
      // The spans and the log position are stored, so the records count as committed.
      if (!isDurableCommitError(error)) throw error;
      this.onStoreError(
        error,
        `the commit of ingest log records up to ${transaction.lastSeq} is durable, but the checkpoint after it failed`,
      );
    }
    this.transaction = null;
    try {
      await this.inheritor.fillAfterCommit(
        this.connection,
        transaction.arrivedRoots,
        (connection, moved) => this.appendRollupRows(connection, moved),
      );
    } catch (error) {
      this.onStoreError(
        error,
        'filling earlier child spans with the attribution of their root failed, so the next commit retries it',
      );
    }
    // Readers wake after the fill, so they see the children with their root's attribution.
    this.committed(transaction.lastSeq);
    await this.compactDue(false);
    await this.checkpointIfDue();
  }

  /**
   * Runs `task` with the memory limit lifted, when a limit is set. A COMMIT that fails at the
   * limit leaves DuckDB's trace id index inconsistent, and the loader halts. At 128 MiB that
   * happened after about 1.1 million spans of sustained ingest. The index and the rows not
   * yet checkpointed had left no room for the commit. So every task that commits on the
   * write connection runs lifted: loads, the attribution fill, rollup compaction, and the
   * store's exclusive tasks.
   */
  private lifted<T>(task: () => Promise<T>): Promise<T> {
    if (this.checkpoints === null) return task();
    return this.checkpoints.withLimitLifted(this.connection, task);
  }

  /**
   * Checkpoints once the WAL is due, when a memory limit turned DuckDB's own checkpoints off,
   * and tries the configured limit again when it did not fit. Runs after commits and on a timer,
   * because logs, metrics and state grow the WAL on other connections.
   */
  private async checkpointIfDue(): Promise<void> {
    const checkpoints = this.checkpoints;
    if (checkpoints === null || this.halted !== null) return;
    try {
      if (checkpoints.due()) {
        await this.lifted(() => this.connection.run('CHECKPOINT'));
      } else {
        await checkpoints.retryRestore(this.connection);
      }
    } catch (error) {
      if (this.haltIfInvalidated(error)) return;
      // Another connection's open write transaction blocks a CHECKPOINT, so the next try runs it.
      if (firstLine(error).includes('other write transactions active')) return;
      this.onStoreError(
        error,
        'the checkpoint after a commit failed; the commit is stored, and the next commit tries the checkpoint again',
      );
    }
  }

  /** Stores `seq` as the position of the ingest log, in the open transaction if there is one. */
  private async storePosition(seq: number): Promise<void> {
    await this.connection.run(`UPDATE ingest_log_position SET committed_seq = ${seq}`);
  }

  /** Ends the open load transaction. A failed COMMIT has ended it already, so ROLLBACK may fail too. */
  private async rollback(): Promise<void> {
    await this.connection.run('ROLLBACK').catch(() => undefined);
    this.transaction = null;
  }

  /** Marks every record up to `seq` as committed, wakes its readers and releases its log segments. */
  private committed(seq: number): void {
    this.committedSeq = Math.max(this.committedSeq, seq);
    this.commitRequested = false;
    for (let i = this.flushWaiters.length - 1; i >= 0; i--) {
      const waiter = this.flushWaiters[i]!;
      if (waiter.seq <= this.committedSeq) {
        this.flushWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
    if (this.flushWaiters.length > 0) this.commitRequested = true;
    this.log
      .release(this.committedSeq)
      .catch((error: unknown) =>
        this.onStoreError(error, 'deleting committed segments of the ingest log failed'),
      );
  }

  /**
   * Rolls back the open transaction after `error`, then loads the records up to `throughSeq`
   * that it held again, each in a transaction of its own.
   */
  private async recover(error: unknown, throughSeq: number): Promise<void> {
    this.onStoreError(
      error,
      `loading ingest log records ${this.committedSeq + 1} to ${throughSeq} into DuckDB failed; each loads again on its own`,
    );
    await this.rollback();
    if (this.haltIfInvalidated(error)) return;
    await this.loadEachAlone(throughSeq);
  }

  /**
   * Loads the logged records above the committed position up to `throughSeq`, each in a
   * transaction of its own. Stops at a record that waits for memory, and the stall retries it.
   */
  private async loadEachAlone(throughSeq: number): Promise<void> {
    try {
      for (const record of this.log.records(this.committedSeq, throughSeq)) {
        const outcome = await this.loadAlone(record);
        if (outcome === 'stopped') return;
        if (outcome === 'out of memory') {
          this.stall(record.seq, throughSeq);
          return;
        }
      }
    } catch (readError) {
      // Moving on would leave readers waiting for these records, or commit past them.
      this.onStoreError(readError, `reading ingest log records up to ${throughSeq} failed`);
      const message = readError instanceof Error ? readError.message : String(readError);
      this.halt(
        new LoaderHaltedError(
          `reading the ingest log in ${this.log.directory} failed, so no span can be stored until a restart: ${message}. Check the disk, then restart Foghorn. The records stay in the ingest log and load at the restart.`,
        ),
      );
    }
  }

  /**
   * Loads one record in a transaction of its own. A record that keeps failing is set aside;
   * one that fails for lack of memory is left in the log for the stall to retry.
   */
  private async loadAlone(record: LogRecord): Promise<'loaded' | 'out of memory' | 'stopped'> {
    let lastError: unknown = null;
    for (let attempt = 1; attempt <= LOAD_ATTEMPTS; attempt++) {
      try {
        await this.appendToTransaction([
          { seq: record.seq, spans: decodeSpans(record.seq, record.payload) },
        ]);
        const transaction = this.transaction!;
        await this.lifted(() => this.commitOrRollBack(transaction));
        return 'loaded';
      } catch (error) {
        lastError = error;
        await this.rollback();
        if (this.haltIfInvalidated(error)) return 'stopped';
        if (isOutOfMemoryError(error)) {
          this.onStoreError(
            error,
            `loading ingest log record ${record.seq} failed because DuckDB reached its memory limit; the loader tries again later and sets nothing aside`,
          );
          this.stallCause = firstLine(error);
          return 'out of memory';
        }
        this.onStoreError(
          error,
          `loading ingest log record ${record.seq} on its own failed (attempt ${attempt} of ${LOAD_ATTEMPTS})`,
        );
        await new Promise((resolve) => setTimeout(resolve, attempt * 100));
      }
    }
    let path: string;
    try {
      path = this.log.keepRejected(record.seq, record.payload);
    } catch (error) {
      // Moving the position past the record now would lose it, so the loader stops here.
      this.onStoreError(error, `setting aside ingest log record ${record.seq} failed`);
      this.halt(
        new LoaderHaltedError(
          `ingest log record ${record.seq} failed to load ${LOAD_ATTEMPTS} times and could not be set aside, so no span can be stored until a restart: ${(error as Error).message}. Make ${this.log.directory} writable, then restart Foghorn. The record stays in the ingest log.`,
        ),
      );
      return 'stopped';
    }
    this.onRejectedRecord(record.seq, path, lastError);
    // A failed update leaves the position below the record, and a restart sets it aside again.
    await this.lifted(() => this.storePosition(record.seq)).catch(() => undefined);
    this.committed(record.seq);
    return 'loaded';
  }

  /**
   * Marks loading as waiting for memory from record `seq` on, lets readers and paced writers
   * go on, and schedules a retry of the records up to `throughSeq`. Queued batches wait for
   * them, so the log loads in order.
   */
  private stall(seq: number, throughSeq: number): void {
    this.memoryWaitMs =
      this.stalled === null
        ? MEMORY_RETRY_FIRST_MS
        : Math.min(this.memoryWaitMs * 2, MEMORY_RETRY_MAX_MS);
    this.stalledThroughSeq = Math.max(this.stalledThroughSeq, throughSeq);
    this.stalled = `DuckDB reached its memory limit while loading ingest log record ${seq}, so spans acknowledged since then are not queryable yet: ${this.stallCause}. They stay in the ingest log and load once DuckDB has memory again. Raise --memory-limit, or narrow the queries that hold memory.`;
    this.releaseWaiters();
    if (this.closed) return;
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      void this.connectionQueue.run(() => this.retryStalled()).catch(() => undefined);
    }, this.memoryWaitMs);
    this.stallTimer.unref();
  }

  /** Loads the stalled records again; once they are all in, the queued batches follow. */
  private async retryStalled(): Promise<void> {
    if (this.halted !== null || this.closed || this.stalled === null) return;
    await this.loadEachAlone(this.stalledThroughSeq);
    if (this.halted !== null || this.committedSeq < this.stalledThroughSeq) return;
    this.stalled = null;
    this.scheduleLoad();
  }

  /**
   * Stops loading until a restart when DuckDB invalidated the file, or when a COMMIT failed at
   * the memory limit and left DuckDB's index in a state that the next load may corrupt.
   */
  private haltIfInvalidated(error: unknown): boolean {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof CommitOutOfMemoryError) {
      this.halt(
        new LoaderHaltedError(
          `a COMMIT of spans failed at DuckDB's memory limit, which can leave DuckDB's trace id index inconsistent, so no span is loaded until a restart: ${firstLine(error)}. Restart Foghorn with a larger --memory-limit: the index takes 65 to 90 MiB per million stored traces. The spans already acknowledged are kept in the ingest log and load at the restart.`,
        ),
      );
      return true;
    }
    if (!isInvalidatedError(error)) return false;
    this.halt(
      new LoaderHaltedError(
        `DuckDB invalidated the store file, so no span can be stored until a restart: ${message}. ${invalidationRemedy(error)} The spans already acknowledged are kept in the ingest log and load at the restart.`,
      ),
    );
    return true;
  }

  /** Stops loading until a restart: writes fail with `reason`, and waiting readers resume. */
  private halt(reason: Error): void {
    this.halted = reason;
    this.stalled = null;
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    this.releaseWaiters();
  }

  /** Resumes waiting readers and paced writers once loading has stopped or waits for memory. */
  private releaseWaiters(): void {
    for (const waiter of this.flushWaiters.splice(0, this.flushWaiters.length)) waiter.resolve();
    this.releasePace();
  }

  private releasePace(): void {
    const loading = this.halted === null && this.stalled === null;
    if (this.queuedSpans > PACED_QUEUED_SPANS && loading) return;
    for (const resume of this.paceWaiters.splice(0, this.paceWaiters.length)) resume();
  }

  /** Appends rollup rows inside the caller's transaction, and schedules their compaction. */
  private async appendRollupRows(
    connection: DuckDBConnection,
    deltas: RollupDeltas,
  ): Promise<void> {
    if (deltas.isEmpty) return;
    const rows = deltas.take();
    await appendRollupDeltas(connection, rows);
    this.compaction.record(rows);
    this.compactionDueAt ??= Date.now() + ROLLUP_COMPACTION_DELAY_MS;
    this.armCompactionTimer();
  }

  /**
   * Compacts the recorded rollup periods when they are due or `force` is set. It runs
   * between transactions on the write connection. Commits call it, and a timer covers
   * the time when no load is running.
   */
  private async compactDue(force: boolean): Promise<void> {
    if (this.transaction !== null || this.compaction.isEmpty) return;
    if (!force && (this.compactionDueAt === null || Date.now() < this.compactionDueAt)) return;
    this.compactionDueAt = null;
    try {
      await compactRollups(this.connection, this.compaction.plan());
    } catch (error) {
      // Compaction only merges rows, so a failed one leaves correct rollups.
      this.onStoreError(error, 'compacting rollup rows failed, so a later commit retries it');
      this.compactionDueAt = Date.now() + ROLLUP_COMPACTION_DELAY_MS;
    }
  }

  private armCompactionTimer(): void {
    if (this.compactionTimer !== null || this.closed) return;
    this.compactionTimer = setTimeout(() => {
      this.compactionTimer = null;
      void this.connectionQueue
        .run(() => this.lifted(() => this.compactDue(false)))
        .then(() => {
          if (!this.compaction.isEmpty) this.armCompactionTimer();
        })
        .catch(() => undefined);
    }, ROLLUP_COMPACTION_DELAY_MS);
    this.compactionTimer.unref();
  }
}
