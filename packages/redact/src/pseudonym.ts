import { createHmac } from 'node:crypto';

const PREFIX = 'anon:';
/** Hex characters kept from the HMAC: 128 bits, enough to keep distinct users apart. */
const HEX_LENGTH = 32;
const PSEUDONYM = /^anon:[0-9a-f]{32}$/;
const MAX_CACHED = 10_000;

export interface Pseudonymizer {
  /** Returns `anon:` and 32 hex characters of HMAC-SHA256(secret, value); pseudonyms pass through unchanged. */
  pseudonymize(value: string): string;
}

/** Builds a pseudonymizer; equal secrets give equal pseudonyms across processes and restarts. */
export function createPseudonymizer(secret: string | Uint8Array): Pseudonymizer {
  if (secret.length === 0) throw new Error('the pseudonym secret is empty; pass at least 16 bytes');
  const cache = new Map<string, string>();
  return {
    pseudonymize(value) {
      if (PSEUDONYM.test(value)) return value;
      const cached = cache.get(value);
      if (cached !== undefined) return cached;
      const digest = createHmac('sha256', secret).update(value, 'utf8').digest('hex');
      const pseudonym = PREFIX + digest.slice(0, HEX_LENGTH);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(value, pseudonym);
      return pseudonym;
    },
  };
}
