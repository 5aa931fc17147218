import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { SealedDataError } from '../../../crypto/secret-box.ts';
import { loadSecretsKey, openSecret, sealSecret } from '../../../crypto/secrets-key.ts';
import type { RunFunctions } from './serial-connection.ts';

/** The outbox columns that hold receiver secrets: webhook URLs, header tokens and routing keys in bodies. */
export interface OutboxSecretColumns {
  url: string;
  /** The request headers as JSON. */
  headers: string;
  body: string;
}

/** Seals each secret column with `sealSecret`, so the DuckDB file contains none in plain text. */
export function sealOutboxColumns(key: Buffer, plain: OutboxSecretColumns): OutboxSecretColumns {
  return {
    url: sealSecret(key, plain.url),
    headers: sealSecret(key, plain.headers),
    body: sealSecret(key, plain.body),
  };
}

/**
 * Opens the secret columns of a stored row. Rows written before sealing are
 * plain and come back unchanged; throws SealedDataError when the key differs
 * from the one that sealed them.
 */
export function openOutboxColumns(key: Buffer, stored: OutboxSecretColumns): OutboxSecretColumns {
  return {
    url: openSecret(key, stored.url),
    headers: openSecret(key, stored.headers),
    body: openSecret(key, stored.body),
  };
}

/** Builds the `lastError` of a row whose secrets cannot be opened, naming the cause and the fix. */
export function unreadableRowError(error: SealedDataError): string {
  return `the receiver URL, headers and body of this notification cannot be decrypted (${error.message}); it is not sent. Restore the secrets key that sealed it (secrets.key in the data directory, or the master key) or send the alert again`;
}

/**
 * Returns the secrets key of the data directory that contains the DuckDB file,
 * created on first use. A database without a file lives in memory only, so
 * a random key for this process is enough for it.
 */
export async function dataDirSecretsKey(run: RunFunctions): Promise<Buffer> {
  const rows = await run.read(
    `SELECT path FROM duckdb_databases() WHERE path IS NOT NULL AND NOT internal
     ORDER BY database_name = current_database() DESC LIMIT 1`,
    [],
  );
  const path = rows[0]?.path;
  if (typeof path !== 'string' || path === '') return randomBytes(32);
  return loadSecretsKey(dirname(path), null);
}
