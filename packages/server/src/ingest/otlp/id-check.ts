import { isAllZeroHex } from './hex-ids.ts';

const LOWER_HEX_PATTERN = /^[0-9a-f]*$/;
const MAX_QUOTED_CHARS = 80;

/** Quotes a received value for a message, cut to a readable length. */
export function quoteValue(text: string): string {
  const shown = text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}...` : text;
  return JSON.stringify(shown);
}

/**
 * Returns why a decoded id cannot be stored, or '' when it can. Decoders keep
 * ids as lowercase hex of the bytes sent, or as the sent text when an
 * OTLP/JSON id was not hex at all.
 */
export function describeIdProblem(
  field: string,
  id: string,
  idBytes: number,
  required: boolean,
): string {
  if (id.length === idBytes * 2 && !isAllZeroHex(id) && LOWER_HEX_PATTERN.test(id)) return '';
  if (id === '' && !required) return '';
  const expected = `${idBytes} bytes (${idBytes * 2} hex characters)`;
  if (id === '') return `${field} is missing; send the ${expected} W3C id`;
  if (!LOWER_HEX_PATTERN.test(id)) {
    return `${field} ${quoteValue(id)} is not hex; send the ${expected} W3C id as hex`;
  }
  if (id.length % 2 !== 0) {
    return `${field} ${quoteValue(id)} has ${id.length} hex characters, an odd number; send the ${expected} W3C id`;
  }
  if (id.length !== idBytes * 2) {
    return `${field} ${quoteValue(id)} is ${id.length / 2} bytes, expected ${expected}; send the full W3C id`;
  }
  return `${field} is all zeros, which OTLP defines as invalid; send a random nonzero id`;
}

/** Latest Unix-nanosecond time that fits the stores' signed 64-bit time columns, on 2262-04-11. */
const MAX_STORED_UNIX_NANO = (1n << 63n) - 1n;

/** Returns why a decoded Unix-nanosecond time cannot be stored, or '' when it can. */
export function describeTimeProblem(field: string, unixNano: bigint): string {
  if (unixNano <= MAX_STORED_UNIX_NANO) return '';
  return `${field} ${unixNano} is after 2262-04-11, the latest time Foghorn stores; send the time in Unix nanoseconds`;
}

/** Counts the items left out of a request and keeps the reason for the first. */
export class Rejections {
  count = 0;
  message = '';

  /** Records one rejected item; `problem` starts with the field name, which is appended to `path`. */
  add(path: string, problem: string): void {
    if (this.count === 0) this.message = `${path}.${problem}`;
    this.count++;
  }
}
