import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Marks a sealed buffer and its layout: magic, version 1, nonce, ciphertext, tag. */
const MAGIC = Buffer.from('FGH1', 'ascii');

/** Thrown when sealed data fails authentication: a wrong key, or changed or truncated bytes. */
export class SealedDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedDataError';
  }
}

/**
 * Encrypts `plaintext` with AES-256-GCM under `key` (32 bytes) and a random
 * 96-bit nonce from the operating system's CSPRNG. `associatedData` is
 * authenticated but not stored, such as a file name that ties the data to its place.
 */
export function seal(key: Buffer, plaintext: Buffer, associatedData = ''): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([MAGIC, nonce, ciphertext, cipher.getAuthTag()]);
}

/** Decrypts what `seal` wrote with the same key and associated data; throws SealedDataError otherwise. */
export function open(key: Buffer, sealed: Buffer, associatedData = ''): Buffer {
  if (!isSealed(sealed) || sealed.length < MAGIC.length + NONCE_BYTES + TAG_BYTES) {
    throw new SealedDataError('the data is not sealed by Foghorn (missing FGH1 header)');
  }
  const nonce = sealed.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
  const ciphertext = sealed.subarray(MAGIC.length + NONCE_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv(ALGORITHM, key, nonce);
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new SealedDataError(
      'the sealed data failed authentication: the encryption key differs from the one that wrote it, or the bytes were changed',
    );
  }
}

/** Tells whether `data` starts with the header that `seal` writes. */
export function isSealed(data: Buffer): boolean {
  return data.subarray(0, MAGIC.length).equals(MAGIC);
}
