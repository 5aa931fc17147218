import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ConfigError } from '../errors.ts';
import type { EncryptionKey } from './encryption-key.ts';

/** Settings that encrypt the DuckDB file; callers pass null for a plain file. */
export interface DuckDbEncryption {
  key: EncryptionKey;
  /**
   * Lets DuckDB write with its built-in mbedTLS AES-GCM when the httpfs extension,
   * which brings OpenSSL, is not installed. DuckDB 1.5.6 calls that mode
   * `force_mbedtls_unsafe` because the nonces then come from a random generator
   * that is not cryptographically secure.
   */
  allowUnsafeCrypto: boolean;
}

/** Catalog name of the encrypted file inside the in-memory instance. */
export const ENCRYPTED_CATALOG = 'foghorn_db';

/** No extension is downloaded: the process never reaches out to DuckDB's extension server. */
const OFFLINE_SETTINGS = Object.freeze({
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});

/** Quotes a value as a SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Builds the `ATTACH` options that open the file with Foghorn's derived key. The key is hex, so it needs no escaping. */
export function encryptedAttachOptions(encryption: DuckDbEncryption): string {
  const hexKey = encryption.key.derive('duckdb-file').toString('hex');
  return `(ENCRYPTION_KEY '${hexKey}', ENCRYPTION_CIPHER 'GCM')`;
}

/**
 * Creates an in-memory instance able to write encrypted files: it loads httpfs
 * (OpenSSL) when it is installed, else turns on DuckDB's mbedTLS writer when
 * `allowUnsafeCrypto` is set, else throws a ConfigError naming both fixes.
 */
export async function createCryptoInstance(encryption: DuckDbEncryption): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', OFFLINE_SETTINGS);
  const connection = await instance.connect();
  try {
    if (await isHttpfsInstalled(connection)) {
      await connection.run('LOAD httpfs');
    } else if (encryption.allowUnsafeCrypto) {
      await connection.run("SET force_mbedtls_unsafe = 'true'");
    } else {
      throw new ConfigError(
        'an encryption key is set, but DuckDB cannot write encrypted files securely: its httpfs extension (OpenSSL) is not installed. ' +
          'Install it once with network access (run INSTALL httpfs in DuckDB 1.5.6 as the user running Foghorn), ' +
          "or start with --duckdb-unsafe-crypto to accept DuckDB's built-in mbedTLS writer, whose nonces are not from a secure random generator",
      );
    }
    // Spill files of large queries hold table data too; DuckDB 1.5.6 leaves them plain by default.
    await connection.run('SET temp_file_encryption = true');
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  connection.closeSync();
  return instance;
}

async function isHttpfsInstalled(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    "SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'",
  );
  return reader.getRows()[0]?.[0] === true;
}

/**
 * Opens `path` encrypted: an in-memory instance attaches the file with the key
 * and every connection of the instance starts with `USE`, so queries need no
 * catalog name. A missing file is created encrypted.
 */
export async function openEncryptedDuckDb(
  path: string,
  encryption: DuckDbEncryption,
): Promise<DuckDBInstance> {
  const instance = await createCryptoInstance(encryption);
  const connection = await instance.connect();
  try {
    await connection.run(
      `ATTACH ${sqlString(path)} AS ${ENCRYPTED_CATALOG} ${encryptedAttachOptions(encryption)}`,
    );
  } catch (error) {
    instance.closeSync();
    throw explainOpenError(path, error, true);
  } finally {
    connection.closeSync();
  }
  useCatalogOnConnect(instance, ENCRYPTED_CATALOG);
  return instance;
}

/** Opens `path` as a plain file, with a clear message when the file is encrypted. */
export async function openPlainDuckDb(path: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path);
  } catch (error) {
    throw explainOpenError(path, error, false);
  }
}

function useCatalogOnConnect(instance: DuckDBInstance, catalog: string): void {
  const connect = instance.connect.bind(instance);
  instance.connect = async (): Promise<DuckDBConnection> => {
    const connection = await connect();
    await connection.run(`USE ${catalog}`);
    return connection;
  };
}

/** The error of opening an encrypted store file without a key. */
export class EncryptedWithoutKeyError extends ConfigError {}

/** Maps DuckDB's open errors to messages that name the file and the fix; other errors pass through. */
export function explainOpenError(path: string, error: unknown, withKey: boolean): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/without a key/i.test(message)) {
    return new EncryptedWithoutKeyError(
      `${path} is encrypted; set FOGHORN_ENCRYPTION_KEY or --encryption-key-file to the key it was written with`,
    );
  }
  if (/wrong encryption key/i.test(message)) {
    return new ConfigError(
      `${path} cannot be decrypted with the configured encryption key; set FOGHORN_ENCRYPTION_KEY or --encryption-key-file to the key it was written with`,
    );
  }
  if (withKey && /is not encrypted/i.test(message)) {
    return new ConfigError(
      `${path} is not encrypted, but an encryption key is set; stop Foghorn and run "foghorn encrypt --data-dir <dir>" to encrypt it, or unset the key`,
    );
  }
  // DuckDB may quote the ATTACH statement, which contains the derived key.
  const scrubbed = message.replace(/[0-9a-f]{64}/gi, '[key]');
  return scrubbed === message && error instanceof Error ? error : new Error(scrubbed);
}
