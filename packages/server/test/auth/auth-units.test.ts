import { describe, expect, it } from 'vitest';
import { assertSafeBinding, isLoopbackHost } from '../../src/auth/bind-guard.ts';
import { LoginThrottle } from '../../src/auth/login-throttle.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/auth/password-hash.ts';
import { routePolicy } from '../../src/auth/route-policy.ts';
import { createSecret, sha256Hex } from '../../src/auth/secrets.ts';
import { TokenBuckets } from '../../src/auth/token-bucket.ts';
import { sessionCookie } from '../../src/auth/session-cookie.ts';

describe('password hashing', () => {
  it('verifies the right password only', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(encoded.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(await verifyPassword('correct horse battery staple', encoded)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', encoded)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(
      await hashPassword('same password here'),
    );
  });

  it('rejects a malformed hash', async () => {
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
  });

  it('names the minimum length', () => {
    expect(passwordProblem('short')).toBe('the password has 5 characters; use at least 12');
  });
});

describe('secrets', () => {
  it('stores a digest that matches the secret', () => {
    const created = createSecret('fgh_ik_');
    expect(created.secret.startsWith('fgh_ik_')).toBe(true);
    expect(created.secretSha256).toBe(sha256Hex(created.secret));
    expect(created.prefix).toBe(created.secret.slice(0, 12));
  });
});

describe('session cookie', () => {
  it('adds Secure only when asked', () => {
    expect(sessionCookie('abc', 60, false)).toBe(
      'foghorn_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60',
    );
    expect(sessionCookie('abc', 60, true).endsWith('; Secure')).toBe(true);
  });
});

describe('token bucket', () => {
  it('allows the burst then refills at the rate', () => {
    let nowMs = 0;
    const buckets = new TokenBuckets(() => nowMs);
    const settings = { ratePerSecond: 2, burst: 3 };
    for (let i = 0; i < 3; i++) expect(buckets.take('k', settings).allowed).toBe(true);
    expect(buckets.take('k', settings)).toEqual({ allowed: false, retryAfterMs: 500 });
    nowMs += 500;
    expect(buckets.take('k', settings).allowed).toBe(true);
    expect(buckets.take('other', settings).allowed).toBe(true);
  });
});

describe('login throttle', () => {
  const settings = { maxFailures: 3, lockoutMs: 60_000, baseDelayMs: 1000, maxDelayMs: 1500 };

  it('doubles the delay up to the maximum', () => {
    let nowMs = 0;
    const throttle = new LoginThrottle(settings, () => nowMs);
    throttle.recordFailure(['account:a']);
    expect(throttle.check(['account:a'])).toEqual({
      allowed: false,
      reason: 'delay',
      retryAfterMs: 1000,
    });
    nowMs += 1000;
    expect(throttle.check(['account:a']).allowed).toBe(true);
    throttle.recordFailure(['account:a']);
    expect(throttle.check(['account:a'])).toEqual({
      allowed: false,
      reason: 'delay',
      retryAfterMs: 1500,
    });
  });

  it('locks after the maximum failures and unlocks later', () => {
    let nowMs = 0;
    const throttle = new LoginThrottle(settings, () => nowMs);
    expect(throttle.recordFailure(['account:a'])).toEqual([]);
    expect(throttle.recordFailure(['account:a'])).toEqual([]);
    expect(throttle.recordFailure(['account:a'])).toEqual(['account:a']);
    nowMs += 30_000;
    expect(throttle.check(['account:a'])).toEqual({
      allowed: false,
      reason: 'locked',
      retryAfterMs: 30_000,
    });
    nowMs += 30_000;
    expect(throttle.check(['account:a']).allowed).toBe(true);
  });

  it('forgets account failures after a success', () => {
    const throttle = new LoginThrottle(settings, () => 0);
    throttle.recordFailure(['account:a']);
    throttle.recordSuccess('account:a');
    expect(throttle.check(['account:a']).allowed).toBe(true);
  });
});

describe('binding guard', () => {
  it('knows loopback addresses', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('10.1.2.3')).toBe(false);
  });

  it('allows any host with auth or the explicit flag', () => {
    expect(() => assertSafeBinding('0.0.0.0', true, false)).not.toThrow();
    expect(() => assertSafeBinding('0.0.0.0', false, true)).not.toThrow();
    expect(() => assertSafeBinding('0.0.0.0', false, false)).toThrow(/is rejected without auth/);
  });
});

describe('route policy', () => {
  it('classifies routes by role', () => {
    expect(routePolicy('GET', '/healthz')).toEqual({ kind: 'public' });
    expect(routePolicy('POST', '/v1/traces')).toEqual({ kind: 'ingest' });
    expect(routePolicy('POST', '/api/2.0/mlflow/runs/create')).toEqual({
      kind: 'mlflow',
      permission: 'write',
    });
    expect(routePolicy('PUT', '/api/v1/prices/overrides')).toMatchObject({
      permission: 'admin',
      audit: 'prices.change',
    });
    expect(routePolicy('POST', '/api/v1/alerts/rules')).toMatchObject({
      permission: 'write',
      audit: 'rules.change',
    });
    expect(routePolicy('POST', '/api/v1/privacy/erasure')).toMatchObject({
      permission: 'admin',
      audit: 'user.erase',
    });
    expect(routePolicy('GET', '/api/v1/traces/:traceId')).toMatchObject({
      permission: 'read',
      content: true,
    });
    expect(routePolicy('POST', '/api/v1/something-new')).toMatchObject({ permission: 'admin' });
  });
});
