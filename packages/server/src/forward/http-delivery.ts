import { parseRetryAfterMs } from '../alerts/delivery.ts';

/** Destination of a forwarder: the full URL and the extra headers, such as an API key. */
export interface SendTarget {
  url: string;
  headers: Readonly<Record<string, string>>;
}

export type SendOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; retryAfterMs: number | null; error: string }
  | { kind: 'failed'; error: string };

/** Retry settings shared by the OTLP forwarder and Prometheus remote write. */
export interface RetryPolicy {
  requestTimeoutMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Attempts per request, the first one included. */
  maxAttempts: number;
}

/**
 * POSTs one body and classifies the response: 2xx is delivered; 408, 429, 5xx and
 * network errors are retried (with the Retry-After of a 429 or 503); other
 * statuses fail, because sending the same body again cannot succeed.
 */
export async function postBody(
  target: SendTarget,
  body: Uint8Array,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: { ...target.headers, ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    return {
      kind: 'retry',
      retryAfterMs: null,
      error: `request failed: ${(error as Error).message}`,
    };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { kind: 'delivered' };
  const error = `HTTP ${response.status}: ${text.slice(0, 200)}`;
  const status = response.status;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), Date.now());
    return { kind: 'retry', retryAfterMs, error };
  }
  return { kind: 'failed', error };
}

/** The wait before retry number `retry` (1 for the first retry): the Retry-After when given, else doubling from the initial backoff. */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | null,
): number {
  if (retryAfterMs !== null) return retryAfterMs;
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.min(retry - 1, 30));
}

/** Resolves after `delayMs`, or at once when `signal` aborts. */
export function sleep(delayMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, delayMs);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Sends a body until it is delivered, fails permanently, runs out of attempts, or
 * `signal` aborts (then at most the attempt in flight finishes). Returns the last
 * outcome and the number of attempts made.
 */
export async function sendWithRetries(
  target: SendTarget,
  body: Uint8Array,
  headers: Readonly<Record<string, string>>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry: (outcome: Extract<SendOutcome, { kind: 'retry' }>, delayMs: number) => void,
): Promise<{ outcome: SendOutcome; attempts: number }> {
  let attempts = 0;
  for (;;) {
    const outcome = await postBody(target, body, headers, policy.requestTimeoutMs);
    attempts++;
    if (outcome.kind !== 'retry' || attempts >= policy.maxAttempts || signal.aborted)
      return { outcome, attempts };
    const delayMs = retryDelayMs(policy, attempts, outcome.retryAfterMs);
    onRetry(outcome, delayMs);
    await sleep(delayMs, signal);
    if (signal.aborted) return { outcome, attempts };
  }
}
