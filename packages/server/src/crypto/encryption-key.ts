import { readFileSync } from 'node:fs';
import { hkdfSync } from 'node:crypto';
import { ConfigError } from '../errors.ts';

/** Minimum length of an encryption key in characters, so that a short password is not used by mistake. */
export const MIN_KEY_CHARS = 16;

const KEY_BYTES = 32;
const HKDF_SALT = 'foghorn encryption at rest';

/** Purposes with their own key, so that no two uses share key material. */
export type KeyPurpose = 'duckdb-file' | 'ingest-log' | 'artifacts' | 'secrets';

/** The master key from `FOGHORN_ENCRYPTION_KEY` or `--encryption-key-file`; never logged. */
export class EncryptionKey {
  readonly #secret: Buffer;

  constructor(secret: string, source: string) {
    if (secret.length < MIN_KEY_CHARS) {
      throw new ConfigError(
        `${source} is ${secret.length} characters long; use at least ${MIN_KEY_CHARS}, such as the output of "openssl rand -hex 32"`,
      );
    }
    this.#secret = Buffer.from(secret, 'utf8');
  }

  /** Derives a 32-byte key for one purpose with HKDF-SHA256. */
  derive(purpose: KeyPurpose): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#secret, HKDF_SALT, purpose, KEY_BYTES));
  }

  /** Keeps the key out of `JSON.stringify` and `util.inspect` output. */
  toJSON(): string {
    return '[encryption key]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[encryption key]';
  }
}

/**
 * Reads the master key: `keyFile` wins over `FOGHORN_ENCRYPTION_KEY`; null when
 * neither is set. A key file contains the key on its first line.
 */
export function loadEncryptionKey(
  keyFile: string | null,
  env: NodeJS.ProcessEnv,
): EncryptionKey | null {
  if (keyFile !== null)
    return new EncryptionKey(readKeyFile(keyFile), `--encryption-key-file ${keyFile}`);
  const fromEnv = env.FOGHORN_ENCRYPTION_KEY;
  if (fromEnv === undefined || fromEnv === '') return null;
  return new EncryptionKey(fromEnv, 'FOGHORN_ENCRYPTION_KEY');
}

function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(
      `--encryption-key-file ${path} cannot be read (${code}); check the path and its permissions`,
    );
  }
  return (text.split(/\r?\n/)[0] ?? '').trim();
}
