import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes that tell an ingest key from an API token at a glance and in secret scanners. */
export const INGEST_KEY_PREFIX = 'fgh_ik_';
export const API_TOKEN_PREFIX = 'fgh_at_';

/** 32 random bytes: secrets this long need no slow hash, so a SHA-256 digest is stored. */
const SECRET_BYTES = 32;
/** Characters of a secret kept in the clear to tell secrets apart. */
const DISPLAY_PREFIX_CHARS = 12;

export interface NewSecret {
  /** The secret to hand to its owner once. */
  secret: string;
  prefix: string;
  secretSha256: string;
}

/** Creates a random secret with `prefix`, its display prefix and its digest. */
export function createSecret(prefix: string): NewSecret {
  const secret = `${prefix}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, DISPLAY_PREFIX_CHARS), secretSha256: sha256Hex(secret) };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A random URL-safe identifier, such as a session id or CSRF token. */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
