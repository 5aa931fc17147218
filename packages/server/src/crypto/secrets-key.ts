import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { EncryptionKey } from './encryption-key.ts';
import { open, seal } from './secret-box.ts';

/** File of the generated secrets key inside the data directory, used when no master key is set. */
export const SECRETS_KEY_FILE_NAME = 'secrets.key';

const KEY_BYTES = 32;
const OWNER_ONLY_MODE = 0o600;
const SEALED_PREFIX = 'sealed:v1:';

/**
 * Returns the key that encrypts stored secrets (webhook URLs, routing keys):
 * derived from the master key when one is set, else read from
 * `<dataDir>/secrets.key`, which is created with mode 0600 on first use.
 */
export function loadSecretsKey(dataDir: string, masterKey: EncryptionKey | null): Buffer {
  if (masterKey !== null) return masterKey.derive('secrets');
  const path = join(dataDir, SECRETS_KEY_FILE_NAME);
  try {
    writeFileSync(path, randomBytes(KEY_BYTES).toString('hex'), {
      flag: 'wx',
      mode: OWNER_ONLY_MODE,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKeyFile(path);
}

function readKeyFile(path: string): Buffer {
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, OWNER_ONLY_MODE);
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(
      `${path} does not hold a ${KEY_BYTES}-byte hex key; delete it only if no stored secret needs it, and Foghorn writes a new one`,
    );
  }
  return key;
}

/** Encrypts a secret into a string that can be stored in a text column. */
export function sealSecret(key: Buffer, secret: string): string {
  return SEALED_PREFIX + seal(key, Buffer.from(secret, 'utf8'), 'secret').toString('base64');
}

/** Decrypts what `sealSecret` wrote; a value without the prefix is returned as it is, so plain values stay readable. */
export function openSecret(key: Buffer, stored: string): string {
  if (!stored.startsWith(SEALED_PREFIX)) return stored;
  const sealed = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64');
  return open(key, sealed, 'secret').toString('utf8');
}
