import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';

const ALGORITHM = 'aes-256-gcm';
const MAGIC = Buffer.from('FGF1', 'ascii');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + NONCE_BYTES;

/** Bytes an encrypted file adds to its plaintext: header and authentication tag. */
export const FILE_OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;

/**
 * Returns a stream that encrypts what is written to it with AES-256-GCM and emits
 * the file layout: magic `FGF1`, a random 96-bit nonce, the ciphertext, the 16-byte tag.
 * `associatedData`, such as the file's path, must be the same when reading.
 */
export function createEncryptStream(key: Buffer, associatedData: string): Transform {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  let headerSent = false;
  const sendHeader = (stream: Transform): void => {
    if (headerSent) return;
    stream.push(Buffer.concat([MAGIC, nonce]));
    headerSent = true;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sendHeader(this);
      done(null, cipher.update(chunk));
    },
    flush(done) {
      sendHeader(this);
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

/** Tells whether the file at `path` starts with the encrypted layout's magic. */
export async function isEncryptedFile(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, MAGIC.length, 0);
    return bytesRead === MAGIC.length && head.equals(MAGIC);
  } finally {
    await handle.close();
  }
}

/**
 * Opens an encrypted file as a stream of its plaintext. The stream fails at its
 * end when the tag does not verify (wrong key, changed bytes or another path),
 * so a reader must treat the data as valid only after the stream ends cleanly.
 */
export async function openDecryptStream(
  path: string,
  key: Buffer,
  associatedData: string,
): Promise<{ stream: Readable; sizeBytes: number }> {
  const handle = await openFile(path, 'r');
  let nonce: Buffer;
  let tag: Buffer;
  let fileBytes: number;
  try {
    fileBytes = (await handle.stat()).size;
    if (fileBytes < FILE_OVERHEAD_BYTES)
      throw new Error(`${path} is too short to be an encrypted file`);
    nonce = Buffer.alloc(NONCE_BYTES);
    tag = Buffer.alloc(TAG_BYTES);
    await handle.read(nonce, 0, NONCE_BYTES, MAGIC.length);
    await handle.read(tag, 0, TAG_BYTES, fileBytes - TAG_BYTES);
  } finally {
    await handle.close();
  }
  const decipher = createDecipheriv(ALGORITHM, key, nonce);
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(tag);
  const sizeBytes = fileBytes - FILE_OVERHEAD_BYTES;
  if (sizeBytes === 0) {
    decipher.end();
    return { stream: decipher, sizeBytes };
  }
  const ciphertext = createReadStream(path, {
    start: HEADER_BYTES,
    end: fileBytes - TAG_BYTES - 1,
  });
  ciphertext.on('error', (error) => decipher.destroy(error));
  return { stream: ciphertext.pipe(decipher), sizeBytes };
}
