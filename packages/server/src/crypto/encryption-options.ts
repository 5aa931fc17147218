import type { OptionSpec } from '../cli/options.ts';
import { loadEncryptionKey } from './encryption-key.ts';
import type { DuckDbEncryption } from './duckdb-encryption.ts';

/** Options that set the encryption key; the key itself comes from FOGHORN_ENCRYPTION_KEY or a file, never from argv. */
export const ENCRYPTION_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'encryption-key-file',
    env: 'FOGHORN_ENCRYPTION_KEY_FILE',
    kind: 'string',
    defaultValue: null,
    description:
      'File whose first line is the key that encrypts the DuckDB file and MLflow artifacts (at least 16 characters); default FOGHORN_ENCRYPTION_KEY, else no encryption',
  },
  {
    name: 'duckdb-unsafe-crypto',
    env: 'FOGHORN_DUCKDB_UNSAFE_CRYPTO',
    kind: 'boolean',
    defaultValue: false,
    description:
      "Without DuckDB's httpfs extension (OpenSSL), encrypt with DuckDB's built-in mbedTLS writer, whose nonces are not from a secure random generator",
  },
]);

/** Options of `foghorn encrypt`. */
export const ENCRYPT_COMMAND_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'data-dir',
    env: 'FOGHORN_DATA_DIR',
    kind: 'string',
    defaultValue: './foghorn-data',
    description: 'Folder of the plain DuckDB file to encrypt; no server may be running on it',
  },
  ...ENCRYPTION_OPTIONS,
]);

/** Builds the DuckDB encryption settings from parsed options and the environment; null without a key. */
export function encryptionFromOptions(
  options: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv,
): DuckDbEncryption | null {
  const keyFile = options['encryption-key-file'];
  const key = loadEncryptionKey(typeof keyFile === 'string' ? keyFile : null, env);
  if (key === null) return null;
  return { key, allowUnsafeCrypto: options['duckdb-unsafe-crypto'] === true };
}
