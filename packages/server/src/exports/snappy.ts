/**
 * A compressor for the snappy block format (the format of Prometheus remote
 * write, not the framed stream format). The output is the uncompressed length as
 * a varint, then literals and copies with 2-byte offsets. Matches are found with
 * a hash table of 4-byte sequences inside 64 KiB blocks, so every offset fits in
 * two bytes.
 */

const BLOCK_BYTES = 65_536;
const HASH_BITS = 14;
const MIN_MATCH_BYTES = 4;
const MAX_COPY_BYTES = 64;
const TAG_LITERAL = 0;
const TAG_COPY_2 = 2;

/** Compresses `input` into one snappy block. */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const output = new ByteSink(input.length + Math.ceil(input.length / 6) + 16);
  output.varint(input.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let blockStart = 0; blockStart < input.length; blockStart += BLOCK_BYTES) {
    const blockEnd = Math.min(input.length, blockStart + BLOCK_BYTES);
    table.fill(-1);
    compressBlock(input, blockStart, blockEnd, table, output);
  }
  return output.finish();
}

function compressBlock(
  input: Uint8Array,
  blockStart: number,
  blockEnd: number,
  table: Int32Array,
  output: ByteSink,
): void {
  let literalStart = blockStart;
  let position = blockStart;
  while (position + MIN_MATCH_BYTES <= blockEnd) {
    const word = read32(input, position);
    const slot = hash(word);
    const candidate = table[slot]!;
    table[slot] = position;
    if (candidate < blockStart || read32(input, candidate) !== word) {
      position++;
      continue;
    }
    let matchBytes = MIN_MATCH_BYTES;
    while (
      position + matchBytes < blockEnd &&
      input[candidate + matchBytes] === input[position + matchBytes]
    )
      matchBytes++;
    emitLiteral(input, literalStart, position, output);
    emitCopy(position - candidate, matchBytes, output);
    position += matchBytes;
    literalStart = position;
  }
  emitLiteral(input, literalStart, blockEnd, output);
}

function read32(input: Uint8Array, at: number): number {
  return (
    (input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16) | (input[at + 3]! << 24)) >>> 0
  );
}

function hash(word: number): number {
  return Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

/** Writes bytes [start, end) as one literal; lengths above 60 carry their length in 1 to 4 extra bytes. */
function emitLiteral(input: Uint8Array, start: number, end: number, output: ByteSink): void {
  const length = end - start;
  if (length === 0) return;
  const lengthMinusOne = length - 1;
  if (lengthMinusOne < 60) {
    output.byte((lengthMinusOne << 2) | TAG_LITERAL);
  } else {
    const extraBytes =
      lengthMinusOne < 0x100
        ? 1
        : lengthMinusOne < 0x10000
          ? 2
          : lengthMinusOne < 0x1000000
            ? 3
            : 4;
    output.byte(((59 + extraBytes) << 2) | TAG_LITERAL);
    for (let index = 0; index < extraBytes; index++)
      output.byte((lengthMinusOne >>> (8 * index)) & 0xff);
  }
  output.bytes(input.subarray(start, end));
}

/** Writes a match as copies of at most 64 bytes, each with a 2-byte little-endian offset. */
function emitCopy(offset: number, length: number, output: ByteSink): void {
  let remaining = length;
  while (remaining > 0) {
    const chunk = Math.min(remaining, MAX_COPY_BYTES);
    output.byte(((chunk - 1) << 2) | TAG_COPY_2);
    output.byte(offset & 0xff);
    output.byte(offset >>> 8);
    remaining -= chunk;
  }
}

class ByteSink {
  private buffer: Uint8Array;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(capacity);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(values: Uint8Array): void {
    this.reserve(values.length);
    this.buffer.set(values, this.length);
    this.length += values.length;
  }

  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.byte(rest);
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(extraBytes: number): void {
    if (this.length + extraBytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extraBytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
