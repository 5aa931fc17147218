import type { OutboxRecord } from './alert-store.ts';
import { maskSecretsInText } from '../crypto/mask-secret.ts';

/** Retry settings of the outbox, in one frozen object. */
export const DELIVERY_DEFAULTS = Object.freeze({
  requestTimeoutMs: 10_000,
  initialBackoffMs: 5_000,
  maxBackoffMs: 10 * 60_000,
  /** Longest Retry-After honoured; a longer one is capped to this. */
  maxRetryAfterMs: 60 * 60_000,
  maxAttempts: 20,
});

export type DeliveryOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'failed'; error: string };

/**
 * Sends one outbox record and classifies the answer: 2xx delivered, 429 and 5xx
 * retried, other statuses failed. The error text masks URLs and the record's
 * routing key, because the outbox logs it and its API returns it.
 */
export async function attemptDelivery(
  record: OutboxRecord,
  nowMs: number,
): Promise<DeliveryOutcome> {
  const outcome = await sendRecord(record, nowMs);
  if (outcome.kind === 'delivered') return outcome;
  return { ...outcome, error: maskSecretsInText(outcome.error, secretsOf(record)) };
}

/** Collects the secrets of a record: its URL and a PagerDuty routing key in its body. */
function secretsOf(record: OutboxRecord): string[] {
  const secrets = [record.url];
  try {
    const routingKey = (JSON.parse(record.body) as { routing_key?: unknown }).routing_key;
    if (typeof routingKey === 'string') secrets.push(routingKey);
  } catch {
    // A body that is not JSON carries no routing key.
  }
  return secrets;
}

async function sendRecord(record: OutboxRecord, nowMs: number): Promise<DeliveryOutcome> {
  let response: Response;
  try {
    response = await fetch(record.url, {
      method: 'POST',
      headers: record.headers,
      body: record.body,
      signal: AbortSignal.timeout(DELIVERY_DEFAULTS.requestTimeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    return {
      kind: 'retry',
      delayMs: backoffMs(record.attempts),
      error: `request failed: ${(error as Error).message}`,
    };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { kind: 'delivered' };
  const error = `HTTP ${response.status}: ${text.slice(0, 200)}`;
  if (response.status === 429) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), nowMs);
    return { kind: 'retry', delayMs: retryAfterMs ?? backoffMs(record.attempts), error };
  }
  if (response.status >= 500) return { kind: 'retry', delayMs: backoffMs(record.attempts), error };
  return { kind: 'failed', error };
}

/** Exponential backoff: 5 s, 10 s, 20 s ... capped at 10 minutes. `attempts` counts earlier attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(
    DELIVERY_DEFAULTS.maxBackoffMs,
    DELIVERY_DEFAULTS.initialBackoffMs * 2 ** Math.min(attempts, 20),
  );
}

/** Reads Retry-After as seconds or an HTTP date; null when absent or invalid. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  const delayMs = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - nowMs;
  if (!Number.isFinite(delayMs)) return null;
  return Math.min(DELIVERY_DEFAULTS.maxRetryAfterMs, Math.max(0, delayMs));
}

/** Applies an outcome to a record: the next attempt time, the status and the error. */
export function applyOutcome(
  record: OutboxRecord,
  outcome: DeliveryOutcome,
  nowMs: number,
): OutboxRecord {
  const attempts = record.attempts + 1;
  if (outcome.kind === 'delivered')
    return { ...record, attempts, status: 'delivered', deliveredMs: nowMs, lastError: null };
  if (outcome.kind === 'failed' || attempts >= DELIVERY_DEFAULTS.maxAttempts) {
    return { ...record, attempts, status: 'failed', lastError: outcome.error };
  }
  return { ...record, attempts, nextAttemptMs: nowMs + outcome.delayMs, lastError: outcome.error };
}
