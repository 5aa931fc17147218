import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { firstLine, isOutOfMemoryError } from './invalidation.ts';
import { SerialQueue } from './serial.ts';
import { CHECKPOINT_THRESHOLD_BYTES, applyMemoryLimit } from './open-store-file.ts';

/** A checkpoint threshold that the WAL never reaches, which turns DuckDB's automatic checkpoints off. */
const NO_AUTOMATIC_CHECKPOINT = '1000TB';
/** The shortest time between two tries at setting the limit again after it did not fit. */
const RESTORE_RETRY_MS = 30_000;
/** How often a checkpoint is considered without a commit: logs, metrics and state grow the WAL too. */
const CHECK_INTERVAL_MS = 10_000;

/** Settings of the checkpoint policy that tests shorten. */
export interface CheckpointTuning {
  /** The WAL size that makes a checkpoint due, by default a quarter of the limit. */
  thresholdBytes?: number;
  /** The wait between two tries at setting the limit again after it did not fit. */
  restoreRetryMs?: number;
  /** How often the span writer considers a checkpoint without a commit. */
  checkIntervalMs?: number;
  /** The minimum headroom above the limit while it is lifted, by default MIN_LIFT_BYTES. */
  minLiftBytes?: number;
}

const MIB = 1024 * 1024;
/**
 * The lifted limit is LIFT_FACTOR times the configured one, and at least MIN_LIFT_BYTES above
 * it. DuckDB's own default of 80 % of the machine's memory is too much. With it, checkpoints
 * of a store held at 128 MiB took the process to 2.4 GiB, mostly rows that DuckDB read back
 * from its temporary files. An index larger than the configured limit takes its place in the
 * sum, because DuckDB cannot evict index buffers changed since the last checkpoint. Inserts of
 * random trace ids change most of them, and a COMMIT that fails at the limit halts the loader.
 */
const LIFT_FACTOR = 2;
const MIN_LIFT_BYTES = 128 * MIB;

/**
 * Checkpoints of a store file under a memory limit. A checkpoint that runs out of
 * memory makes DuckDB 1.5.6 invalidate the database. At a 128 MiB limit that
 * happened after about 900,000 spans of sustained ingest: the automatic
 * checkpoint of a commit could not allocate a 256 KiB block, and every statement
 * failed until a restart. The checkpoint rewrites the rows committed since the
 * last one, which DuckDB had spilled to its temporary files, and the trace id index.
 *
 * So under a limit, DuckDB's automatic checkpoints are off. The span writer
 * checkpoints once the WAL reaches the threshold. Checkpoints and the commits of
 * the write and maintenance connections run with the limit lifted: twice the
 * limit, at least 128 MiB above it, or the trace id index plus that headroom when
 * the index is larger than the limit. Without a limit, DuckDB checkpoints on its
 * own, and `withLimitLifted` only runs its task.
 */
export class LimitedCheckpoints {
  /** Tasks running with the limit lifted. The limit is set again when the last one ends. */
  private lifts = 0;
  private overLimit: string | null = null;
  /** The lifted limit in force, or null while the configured limit applies. */
  private liftedNow: number | null = null;
  /** Whether the last try to set the configured limit failed for a reason other than memory. */
  private restorePending = false;
  private lastRestoreAt = 0;
  /** Orders the changes of the setting, so a restore never lands while another task has lifted it. */
  private readonly settings = new SerialQueue();

  private constructor(
    private readonly walPath: string,
    private readonly limitBytes: number | null,
    private readonly thresholdBytes: number,
    private readonly restoreRetryMs: number,
    /** How often the span writer considers a checkpoint without a commit. */
    readonly checkIntervalMs: number,
    private readonly minLiftBytes: number,
    private readonly onError: (error: unknown, what: string) => void,
  ) {}

  /**
   * Turns off DuckDB's automatic checkpoints of the store file at `path` when `limitBytes` is
   * set. `options` shortens the policy's intervals and threshold, for tests. `onError` receives
   * the failures that the policy handles itself, with a sentence saying what happens next.
   */
  static async open(
    connection: DuckDBConnection,
    path: string,
    limitBytes: number | null,
    options: CheckpointTuning = {},
    onError: (error: unknown, what: string) => void = () => undefined,
  ): Promise<LimitedCheckpoints> {
    if (limitBytes !== null) {
      await connection.run(`SET checkpoint_threshold = '${NO_AUTOMATIC_CHECKPOINT}'`);
    }
    return new LimitedCheckpoints(
      `${path}.wal`,
      limitBytes,
      options.thresholdBytes ?? checkpointThresholdFor(limitBytes),
      options.restoreRetryMs ?? RESTORE_RETRY_MS,
      options.checkIntervalMs ?? CHECK_INTERVAL_MS,
      options.minLiftBytes ?? MIN_LIFT_BYTES,
      onError,
    );
  }

  /** Returns whether a checkpoint is due: a limit is set and the WAL has reached the threshold. */
  due(): boolean {
    if (this.limitBytes === null) return false;
    const walBytes = statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0;
    return walBytes >= this.thresholdBytes;
  }

  /** Runs `task`, such as a CHECKPOINT, with the lifted memory limit, then sets the limit again. */
  async withLimitLifted<T>(connection: DuckDBConnection, task: () => Promise<T>): Promise<T> {
    if (this.limitBytes === null) return task();
    await this.settings.run(async () => {
      // Every task reads the index, also while others run lifted and over the limit, so the
      // lifted limit follows the index as commits grow it. Retention runs lifted for minutes.
      await this.applyLifted(connection);
      this.lifts++;
    });
    try {
      return await task();
    } finally {
      await this.settings.run(async () => {
        this.lifts--;
        // Over the limit, each try evicts what DuckDB can before it fails, so tries are spaced.
        if (this.lifts === 0 && !this.restoreWaits()) await this.restore(connection);
      });
    }
  }

  /** Lifts the limit for good, so the checkpoint that DuckDB runs when it closes the file has the lifted limit too. */
  async liftForShutdown(connection: DuckDBConnection): Promise<void> {
    if (this.limitBytes === null) return;
    await this.settings.run(async () => {
      this.lifts++;
      await this.applyLifted(connection);
    });
  }

  /** Returns why DuckDB runs above the configured limit, or null while that limit applies. */
  overLimitReason(): string | null {
    return this.overLimit;
  }

  /** Sets the limit again if it did not fit after a commit or checkpoint, at most every 30 seconds by default. */
  async retryRestore(connection: DuckDBConnection): Promise<void> {
    await this.settings.run(async () => {
      if (this.overLimit === null && !this.restorePending) return;
      if (this.lifts > 0 || this.restoreWaits()) return;
      await this.restore(connection);
    });
  }

  /** Returns whether the limit did not fit at the last try, less than the retry interval ago. */
  private restoreWaits(): boolean {
    return this.overLimit !== null && Date.now() - this.lastRestoreAt < this.restoreRetryMs;
  }

  /**
   * Sets the configured limit. When it does not fit, records why and keeps the lifted one.
   * Every error is caught here, so the outcome of the task before it is kept.
   */
  private async restore(connection: DuckDBConnection): Promise<void> {
    this.lastRestoreAt = Date.now();
    try {
      await applyMemoryLimit(connection, this.limitBytes);
      this.overLimit = null;
      this.liftedNow = null;
      this.restorePending = false;
    } catch (error) {
      if (!isOutOfMemoryError(error)) {
        // A transaction left aborted on the connection rejects the SET, for example. That is no
        // lack of memory, so the next commit or check tries again, and the next lift sets its value.
        this.restorePending = true;
        this.liftedNow = null;
        this.onError(
          error,
          'setting the configured memory limit again failed for a reason other than memory; the lifted limit applies until the next commit or check tries again',
        );
        return;
      }
      // DuckDB 1.5.6 keeps the new setting even when it cannot evict enough to meet it, and
      // every allocation would then fail, so the lifted limit is set again, never lower.
      const before = this.liftedNow ?? 0;
      this.liftedNow = null;
      const lifted = await this.applyLifted(connection, before).catch(() => null);
      const limitMiB = Math.round(this.limitBytes! / MIB);
      const liftedMiB = lifted === null ? 'a lifted limit' : `${Math.round(lifted / MIB)} MiB`;
      this.overLimit = `DuckDB holds more than the memory limit of ${limitMiB} MiB after a commit or checkpoint, so it runs with ${liftedMiB} and tries the configured limit again every ${this.restoreRetryMs / 1000} seconds: ${firstLine(error)}. Raise --memory-limit; the trace id index alone takes about 65 to 90 MiB per million stored traces.`;
    }
  }

  /**
   * Sets the lifted limit, at least `atLeast` bytes, and returns it. A lifted limit in force
   * is only ever raised: a lower one can fail to fit when the index shrank because DuckDB
   * evicted it after a checkpoint.
   */
  private async applyLifted(connection: DuckDBConnection, atLeast = 0): Promise<number> {
    const limit = this.limitBytes!;
    const headroom = Math.max(limit * (LIFT_FACTOR - 1), this.minLiftBytes);
    // Without the index's size, the lift still happens, at least as high as before.
    const index = await indexBytes(connection).catch(() => 0);
    const lifted = Math.max(Math.max(limit, index) + headroom, atLeast);
    if (this.liftedNow !== null && lifted <= this.liftedNow) return this.liftedNow;
    await applyMemoryLimit(connection, lifted);
    this.liftedNow = lifted;
    return lifted;
  }
}

/** Returns the memory of DuckDB's indexes, loaded or changed since the last checkpoint. */
async function indexBytes(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll(
    "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'",
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/**
 * Returns the WAL size at which the writer checkpoints under a limit of `limitBytes`: a
 * quarter of the limit, at most the threshold without a limit. The rows committed since the
 * last checkpoint stay in DuckDB's memory or its temporary files until it runs, and the
 * checkpoint reads them back.
 */
function checkpointThresholdFor(limitBytes: number | null): number {
  if (limitBytes === null) return CHECKPOINT_THRESHOLD_BYTES;
  return Math.min(CHECKPOINT_THRESHOLD_BYTES, Math.floor(limitBytes / 4));
}
