import type { Logger } from 'pino';
import { maskSecretsInText } from '../crypto/mask-secret.ts';
import type { AlertStore, OutboxRecord } from './alert-store.ts';
import { applyOutcome, attemptDelivery, type DeliveryOutcome } from './delivery.ts';

const BATCH_SIZE = 50;

/** Headers that describe the body; every other header value may be a credential. */
const PLAIN_HEADERS = new Set(['content-type', 'accept', 'user-agent']);

/** Returns the path and query of a receiver URL, where webhook and Slack URLs carry their tokens. */
function urlPathSecret(url: string): string[] {
  try {
    const parsed = new URL(url);
    const rest = `${parsed.pathname}${parsed.search}`;
    return rest.length > 1 ? [rest] : [];
  } catch {
    return [];
  }
}

/**
 * Masks the URL path and header values, such as bearer tokens, in the error of
 * an outcome, because the error is stored, logged and returned by the API and a
 * receiver may echo them. `attemptDelivery` already masks whole URLs and a
 * PagerDuty routing key.
 */
function maskRecordSecrets(record: OutboxRecord, outcome: DeliveryOutcome): DeliveryOutcome {
  if (outcome.kind === 'delivered') return outcome;
  const headerValues = Object.entries(record.headers)
    .filter(([name]) => !PLAIN_HEADERS.has(name.toLowerCase()))
    .map(([, value]) => value);
  const secrets = [...urlPathSecret(record.url), ...headerValues];
  return { ...outcome, error: maskSecretsInText(outcome.error, secrets) };
}

/**
 * Delivers due outbox records; records survive restarts because they live in
 * DuckDB, where the store keeps their URLs, headers and bodies sealed.
 */
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
      const outcome = maskRecordSecrets(record, await attemptDelivery(record, nowMs));
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
