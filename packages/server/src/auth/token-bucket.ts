export interface TokenBucketSettings {
  /** Tokens added per second: the sustained request rate. */
  ratePerSecond: number;
  /** Largest number of stored tokens: the burst allowed after a quiet period. */
  burst: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  updatedAtUnixMs: number;
}

/** Token buckets per key, refilled lazily from the clock on each take. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  /** Takes one token from the bucket of `key`, or says how long until one is there. */
  take(key: string, settings: TokenBucketSettings): TakeResult {
    const nowUnixMs = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: settings.burst, updatedAtUnixMs: nowUnixMs };
    const elapsedMs = Math.max(0, nowUnixMs - bucket.updatedAtUnixMs);
    bucket.tokens = Math.min(
      settings.burst,
      bucket.tokens + (elapsedMs * settings.ratePerSecond) / 1000,
    );
    bucket.updatedAtUnixMs = nowUnixMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterMs: Math.ceil(((1 - bucket.tokens) * 1000) / settings.ratePerSecond),
    };
  }
}
