/** Why a request was turned away, in terms every protocol edge can translate. */
export type AuthFailureKind = 'unauthenticated' | 'forbidden' | 'rate_limited' | 'too_large';

export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
    /** Seconds until a retry can succeed; set for `rate_limited`. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'AuthFailure';
  }
}

/** HTTP status per failure kind. */
export const FAILURE_HTTP_STATUS: Readonly<Record<AuthFailureKind, number>> = Object.freeze({
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
  too_large: 413,
});

export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
