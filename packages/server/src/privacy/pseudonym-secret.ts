import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.ts';

export const PSEUDONYM_SECRET_ENV = 'FOGHORN_PSEUDONYM_SECRET';
export const PSEUDONYM_KEY_FILE = 'pseudonym.key';
const MIN_SECRET_CHARS = 16;
const GENERATED_SECRET_BYTES = 32;

export type SecretSource = 'environment' | 'key-file' | 'generated';

export interface PseudonymSecret {
  secret: string;
  source: SecretSource;
}

function checkLength(secret: string, where: string): void {
  if (secret.length < MIN_SECRET_CHARS) {
    throw new ConfigError(
      `${where} has ${secret.length} characters; use at least ${MIN_SECRET_CHARS}, for example the output of \`openssl rand -hex 32\``,
    );
  }
}

async function readKeyFile(path: string, logger: Logger): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    logger.warn(
      { path, mode: mode.toString(8) },
      `${path} is readable by other users; run chmod 600 on it`,
    );
  }
  const secret = text.trim();
  checkLength(secret, path);
  return secret;
}

/**
 * Returns the HMAC key for user-id pseudonyms: `FOGHORN_PSEUDONYM_SECRET` when set,
 * else `<dataDir>/pseudonym.key`, else a new random key written there with mode
 * 0600. The key never appears in a log line.
 */
export async function resolvePseudonymSecret(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<PseudonymSecret> {
  const fromEnv = env[PSEUDONYM_SECRET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    checkLength(fromEnv, PSEUDONYM_SECRET_ENV);
    return { secret: fromEnv, source: 'environment' };
  }
  const path = join(dataDir, PSEUDONYM_KEY_FILE);
  const stored = await readKeyFile(path, logger);
  if (stored !== null) return { secret: stored, source: 'key-file' };
  const secret = randomBytes(GENERATED_SECRET_BYTES).toString('hex');
  await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  logger.info(
    { path },
    `generated a pseudonym secret in ${path}; keep this file to keep user pseudonyms stable, or set ${PSEUDONYM_SECRET_ENV}`,
  );
  return { secret, source: 'generated' };
}
