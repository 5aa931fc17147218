import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import type { RetentionCounts, RetentionCutoffs } from './retention-types.ts';
import { hasRetention, type RetentionSettings } from './retention-config.ts';

const NANOS_PER_MS = 1_000_000n;

function cutoff(nowMs: number, ttlMs: number | null): bigint | null {
  return ttlMs === null ? null : BigInt(Math.floor(nowMs - ttlMs)) * NANOS_PER_MS;
}

/** Returns the cutoffs of a run at `nowMs`. */
export function retentionCutoffs(settings: RetentionSettings, nowMs: number): RetentionCutoffs {
  const { ttlMs } = settings;
  return {
    spansBeforeUnixNano: cutoff(nowMs, ttlMs.spans),
    contentBeforeUnixNano: cutoff(nowMs, ttlMs.content),
    metricsBeforeUnixNano: cutoff(nowMs, ttlMs.metrics),
    logsBeforeUnixNano: cutoff(nowMs, ttlMs.logs),
    scoresBeforeUnixNano: cutoff(nowMs, ttlMs.scores),
  };
}

/**
 * Enforces retention on an interval. Runs never overlap: a run asked for while
 * one is going returns the running one. `stop` is idempotent and waits for the
 * running run.
 */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionCounts> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly settings: RetentionSettings,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Starts the interval when any signal expires; logs the effective settings either way. */
  start(): void {
    if (!hasRetention(this.settings)) {
      this.logger.info('retention: off; every signal is kept until deleted by hand');
      return;
    }
    this.timer = setInterval(
      () => void this.runOnce().catch(() => undefined),
      this.settings.intervalMs,
    );
    this.timer.unref();
    this.logger.info(
      { ttlMs: this.settings.ttlMs, intervalMs: this.settings.intervalMs },
      'retention: started',
    );
  }

  /** Applies retention now and returns the rows changed; joins a run already going. */
  runOnce(): Promise<RetentionCounts> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    if (hasRetention(this.settings)) this.logger.info('retention: stopped');
  }

  private async run(): Promise<RetentionCounts> {
    const nowMs = this.now();
    const cutoffs = retentionCutoffs(this.settings, nowMs);
    try {
      const counts = await this.store.applyRetention(cutoffs);
      if (counts.spansDeleted > 0 && cutoffs.spansBeforeUnixNano !== null) {
        await this.store.rebuildRollups({
          fromUnixMs: 0,
          toUnixMs: Number(cutoffs.spansBeforeUnixNano / NANOS_PER_MS),
        });
      }
      this.logger.info({ counts }, 'retention: run finished');
      return counts;
    } catch (error) {
      this.logger.error({ err: error }, 'retention: run failed; the next run retries');
      throw error;
    }
  }
}
