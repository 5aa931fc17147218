import type { Logger } from 'pino';
import type { AlertStore } from './alert-store.ts';
import { applyOutcome, attemptDelivery } from './delivery.ts';

const BATCH_SIZE = 50;

/** Delivers due outbox records; records survive restarts because they live in DuckDB. */
export class Outbox {
  constructor(
    private readonly store: AlertStore,
    private readonly logger: Logger,
  ) {}

  /** Attempts every record due at `nowMs` once, in order; returns how many were delivered. */
  async deliverDue(nowMs: number): Promise<number> {
    const due = await this.store.dueOutbox(nowMs, BATCH_SIZE);
    let delivered = 0;
    for (const record of due) {
      const outcome = await attemptDelivery(record, nowMs);
      const next = applyOutcome(record, outcome, nowMs);
      await this.store.updateOutbox(next);
      if (next.status === 'delivered') delivered++;
      this.logOutcome(next);
    }
    return delivered;
  }

  private logOutcome(record: ReturnType<typeof applyOutcome>): void {
    const context = {
      outboxId: record.id,
      receiver: record.receiver,
      integration: record.integration,
      attempts: record.attempts,
    };
    if (record.status === 'delivered') {
      this.logger.debug(context, `delivered ${record.summary}`);
    } else if (record.status === 'failed') {
      this.logger.error(
        { ...context, error: record.lastError },
        `notification to receiver ${record.receiver} failed permanently: ${record.summary}`,
      );
    } else {
      this.logger.warn(
        { ...context, error: record.lastError, nextAttemptMs: record.nextAttemptMs },
        `notification to receiver ${record.receiver} will be retried: ${record.summary}`,
      );
    }
  }
}
