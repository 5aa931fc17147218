import { deleteOldest } from '../evict-oldest.ts';

export interface LoginThrottleSettings {
  /** Failures after which an account or address is locked. */
  maxFailures: number;
  /** How long a lockout lasts, and how long failures are remembered, in milliseconds. */
  lockoutMs: number;
  /** Wait after the first failure; it doubles with every further failure, in milliseconds. */
  baseDelayMs: number;
  /** Maximum wait between two attempts before the lockout, in milliseconds. */
  maxDelayMs: number;
}

export type ThrottleVerdict =
  { allowed: true } | { allowed: false; reason: 'delay' | 'locked'; retryAfterMs: number };

interface FailureRecord {
  failures: number;
  lastFailureUnixMs: number;
  lockedUntilUnixMs: number;
}

/** Most records kept; the oldest is dropped first, so a flood of addresses cannot grow memory without bound. */
const MAX_RECORDS = 100_000;
/** Records forgotten at once when MAX_RECORDS is passed, so a flood of subjects stays cheap per attempt. */
const EVICTED_RECORDS = 10_000;

/**
 * Slows down and then locks out password guessing. After failure k an
 * attempt is accepted only once `baseDelayMs · 2^(k−1)` (at most
 * `maxDelayMs`) has passed; at `maxFailures` the subject is locked for
 * `lockoutMs`. Subjects are keys such as `account:alice` or `address:10.0.0.5`.
 */
export class LoginThrottle {
  private readonly records = new Map<string, FailureRecord>();

  constructor(
    private readonly settings: LoginThrottleSettings,
    private readonly now: () => number,
  ) {}

  /** Whether an attempt for all of `subjects` may be checked now. */
  check(subjects: readonly string[]): ThrottleVerdict {
    let verdict: ThrottleVerdict = { allowed: true };
    for (const subject of subjects) {
      const next = this.checkOne(subject);
      if (!next.allowed && (verdict.allowed || next.retryAfterMs > verdict.retryAfterMs))
        verdict = next;
    }
    return verdict;
  }

  /** Counts a failed attempt; returns the subjects this failure locked. */
  recordFailure(subjects: readonly string[]): string[] {
    const nowUnixMs = this.now();
    const locked: string[] = [];
    for (const subject of subjects) {
      const record = this.freshRecord(subject, nowUnixMs);
      record.failures += 1;
      record.lastFailureUnixMs = nowUnixMs;
      if (record.failures >= this.settings.maxFailures && record.lockedUntilUnixMs <= nowUnixMs) {
        record.lockedUntilUnixMs = nowUnixMs + this.settings.lockoutMs;
        locked.push(subject);
      }
      this.remember(subject, record);
    }
    return locked;
  }

  /** Forgets the failures of an account after a successful login; address failures stay. */
  recordSuccess(subject: string): void {
    this.records.delete(subject);
  }

  private checkOne(subject: string): ThrottleVerdict {
    const nowUnixMs = this.now();
    const record = this.freshRecord(subject, nowUnixMs);
    if (record.lockedUntilUnixMs > nowUnixMs)
      return {
        allowed: false,
        reason: 'locked',
        retryAfterMs: record.lockedUntilUnixMs - nowUnixMs,
      };
    if (record.failures === 0) return { allowed: true };
    const delayMs = Math.min(
      this.settings.maxDelayMs,
      this.settings.baseDelayMs * 2 ** (record.failures - 1),
    );
    const waitMs = record.lastFailureUnixMs + delayMs - nowUnixMs;
    return waitMs > 0
      ? { allowed: false, reason: 'delay', retryAfterMs: waitMs }
      : { allowed: true };
  }

  /** The record of `subject`, reset when its lockout ended or its last failure is older than `lockoutMs`. */
  private freshRecord(subject: string, nowUnixMs: number): FailureRecord {
    const record = this.records.get(subject);
    const expired =
      record !== undefined &&
      record.lockedUntilUnixMs <= nowUnixMs &&
      (record.lockedUntilUnixMs > 0 ||
        nowUnixMs - record.lastFailureUnixMs >= this.settings.lockoutMs);
    if (record === undefined || expired)
      return { failures: 0, lastFailureUnixMs: 0, lockedUntilUnixMs: 0 };
    return record;
  }

  private remember(subject: string, record: FailureRecord): void {
    this.records.delete(subject);
    this.records.set(subject, record);
    if (this.records.size > MAX_RECORDS) deleteOldest(this.records, EVICTED_RECORDS);
  }
}
