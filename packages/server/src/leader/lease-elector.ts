import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { LeaseTable } from '../store/clickhouse/lease-table.ts';
import type { Leader } from './leader.ts';

/** Lease timing, with the defaults in one frozen object. */
export const LEASE_DEFAULTS = Object.freeze({
  ttlMs: 30_000,
  renewIntervalMs: 10_000,
});

export interface LeaseElectorOptions {
  table: LeaseTable;
  /** Lease name, one per job group, such as `jobs`. */
  name: string;
  logger: Logger;
  /** Defaults to the host name, the process id and a random suffix. */
  holderId?: string;
  ttlMs?: number;
  renewIntervalMs?: number;
  /** Monotonic milliseconds; tests may pass their own. */
  monotonicMs?: () => number;
}

/**
 * Holds a lease row in ClickHouse. Each attempt reads the newest row (FINAL), then renews
 * its own unexpired lease or claims the next term of an expired one, and reads back. The
 * process leads only while the row it read back names it and its local deadline, measured
 * from before the first read of the attempt, has not passed. That deadline comes no later
 * than the row's expiry on the server clock, so a successor, which waits for that expiry,
 * never overlaps it while both clocks run at the same rate.
 */
class LeaseElector implements Leader {
  readonly holderId: string;
  private readonly ttlMs: number;
  private readonly renewIntervalMs: number;
  private readonly monotonicMs: () => number;
  private deadlineMs = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<void> | null = null;
  private stopped = false;
  private leading = false;

  constructor(private readonly options: LeaseElectorOptions) {
    this.holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.ttlMs = options.ttlMs ?? LEASE_DEFAULTS.ttlMs;
    this.renewIntervalMs = options.renewIntervalMs ?? LEASE_DEFAULTS.renewIntervalMs;
    this.monotonicMs = options.monotonicMs ?? (() => performance.now());
    if (!(this.renewIntervalMs > 0 && this.renewIntervalMs * 2 <= this.ttlMs)) {
      throw new Error(
        `lease renewIntervalMs ${this.renewIntervalMs} must be positive and at most half of ttlMs ${this.ttlMs}, so one failed renewal does not end the lease`,
      );
    }
  }

  isLeader(): boolean {
    return !this.stopped && this.monotonicMs() < this.deadlineMs;
  }

  async start(): Promise<void> {
    await this.renewNow();
    this.timer = setInterval(() => void this.renewNow(), this.renewIntervalMs);
    this.timer.unref();
    this.options.logger.info(
      {
        lease: this.options.name,
        holder: this.holderId,
        ttlMs: this.ttlMs,
        renewIntervalMs: this.renewIntervalMs,
      },
      'leader election started',
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.attempt;
    this.options.logger.info(
      { lease: this.options.name, holder: this.holderId },
      'leader election stopped',
    );
  }

  /** Runs one attempt unless one is running; errors are logged and the lease lapses at its deadline. */
  renewNow(): Promise<void> {
    this.attempt ??= this.tryHold()
      .catch((error: unknown) => {
        this.options.logger.error(
          { err: error, lease: this.options.name },
          'renewing the leader lease failed; the next interval retries',
        );
      })
      .finally(() => {
        this.attempt = null;
        this.logTransition();
      });
    return this.attempt;
  }

  private async tryHold(): Promise<void> {
    if (this.stopped) return;
    const startedMs = this.monotonicMs();
    const { table, name } = this.options;
    const current = await table.read(name);
    const expired = current.term === 0 || current.expiresAtUnixMs <= current.serverNowUnixMs;
    if (!expired && current.holder !== this.holderId) {
      this.deadlineMs = Number.NEGATIVE_INFINITY;
      return;
    }

    const term = expired ? current.term + 1 : current.term;
    await table.write(name, this.holderId, term, this.ttlMs, expired ? 'claim' : 'renew');

    const written = await table.read(name);
    const held = written.holder === this.holderId && written.term === term;
    this.deadlineMs = held ? startedMs + this.ttlMs : Number.NEGATIVE_INFINITY;
  }

  private logTransition(): void {
    const leading = this.isLeader();
    if (leading === this.leading) return;
    this.leading = leading;
    this.options.logger.info(
      { lease: this.options.name, holder: this.holderId },
      leading ? 'leader lease acquired' : 'leader lease lost',
    );
  }
}

/** Builds a leader backed by a lease row; call `start()` to take part. */
export function createLeaseElector(
  options: LeaseElectorOptions,
): Leader & { readonly holderId: string; renewNow(): Promise<void> } {
  return new LeaseElector(options);
}
