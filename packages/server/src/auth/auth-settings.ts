import type { LoginThrottleSettings } from './login-throttle.ts';

export interface AuthSettings {
  /** Whether requests need credentials; off keeps the zero-setup local mode. */
  enabled: boolean;
  /** Session lifetime from login, in milliseconds. */
  sessionTtlMs: number;
  /** Whether session cookies carry `Secure`: served over TLS or behind an https public URL. */
  secureCookies: boolean;
  /** Default sustained OTLP requests per second per ingest key. */
  ingestRatePerSecond: number;
  /** Default burst of OTLP requests per ingest key. */
  ingestBurst: number;
  /** Sustained API requests per second per API token or session. */
  apiRatePerSecond: number;
  apiBurst: number;
  /** Extra request headers, lower case, that may carry an ingest key. */
  ingestKeyHeaders: readonly string[];
  /** Login throttling per account. */
  accountThrottle: LoginThrottleSettings;
  /** Login throttling per remote address; higher, since many people can share an address. */
  addressThrottle: LoginThrottleSettings;
  /** How long a verified HTTP Basic password is remembered, so MLflow clients are not slowed by scrypt on every call, in milliseconds. */
  basicAuthCacheMs: number;
}

export const AUTH_DEFAULTS: Readonly<AuthSettings> = Object.freeze({
  enabled: false,
  sessionTtlMs: 12 * 60 * 60 * 1000,
  secureCookies: false,
  ingestRatePerSecond: 100,
  ingestBurst: 200,
  apiRatePerSecond: 50,
  apiBurst: 100,
  ingestKeyHeaders: Object.freeze(['x-foghorn-key']),
  accountThrottle: Object.freeze({
    maxFailures: 5,
    lockoutMs: 15 * 60 * 1000,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
  }),
  addressThrottle: Object.freeze({
    maxFailures: 20,
    lockoutMs: 15 * 60 * 1000,
    baseDelayMs: 250,
    maxDelayMs: 10_000,
  }),
  basicAuthCacheMs: 60_000,
});
