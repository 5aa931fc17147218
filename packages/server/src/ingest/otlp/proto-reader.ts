import { DecodeFailure } from './decode-error.ts';
import { bytesToHex } from './hex-ids.ts';
import { createBodyViews, decodeUtf8, decodeUtf8Cached, type BodyViews } from './utf8-text.ts';

/** Protobuf wire types, from the protobuf encoding specification. */
export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

const WIRE_TYPE_NAMES = [
  'varint',
  'fixed64',
  'length-delimited',
  'start-group',
  'end-group',
  'fixed32',
];

/** Deepest nesting of groups inside one unknown field that skipField accepts. */
const MAX_GROUP_DEPTH = 64;

/** Returns the tag value (`field_number << 3 | wire_type`) that precedes a field on the wire. */
export function fieldTag(fieldNumber: number, wireType: number): number {
  return fieldNumber * 8 + wireType;
}

/** Names a wire type for error messages, such as `2 (length-delimited)`. */
export function describeWireType(wireType: number): string {
  return `${wireType} (${WIRE_TYPE_NAMES[wireType] ?? 'invalid'})`;
}

/**
 * A cursor over a protobuf message. Reads never allocate except for the
 * values they return; every read checks the body bounds and throws a
 * DecodeFailure that names the byte offset.
 */
export class ProtoReader {
  readonly bytes: Uint8Array;
  pos = 0;
  private readonly body: BodyViews;
  private readonly view: DataView;
  /** Low and high 32 bits of the last varint, both unsigned. */
  private varintLow = 0;
  private varintHigh = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.body = createBodyViews(bytes);
    this.view = this.body.view;
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Reads a field tag and rejects field number 0, which no message may use. */
  readTag(): number {
    const start = this.pos;
    const tag = this.readVarint32();
    if (tag < 8) throw new DecodeFailure(`invalid field number 0 in tag ${tag}`, start);
    return tag;
  }

  /** Reads a varint and returns its low 32 bits as an unsigned number (uint32, enums, tags). */
  readVarint32(): number {
    const bytes = this.bytes;
    const first = this.pos < bytes.length ? bytes[this.pos]! : 0x80;
    if (first < 0x80) {
      this.pos++;
      return first;
    }
    this.readVarintParts();
    return this.varintLow;
  }

  /** Reads an `int32` or enum varint; negative values arrive sign-extended to 10 bytes. */
  readInt32(): number {
    return this.readVarint32() | 0;
  }

  /** Reads a zigzag-encoded `sint32`. */
  readSint32(): number {
    const value = this.readVarint32();
    return (value >>> 1) ^ -(value & 1);
  }

  readBool(): boolean {
    this.readVarintParts();
    return (this.varintLow | this.varintHigh) !== 0;
  }

  /** Reads a `uint64` varint as a number; values above 2^53 lose precision. */
  readUint64AsNumber(): number {
    this.readVarintParts();
    return this.varintHigh * 0x1_0000_0000 + this.varintLow;
  }

  /** Reads an `int64` varint: a number when it is a safe integer, else its decimal string. */
  readInt64Value(): number | string {
    this.readVarintParts();
    const value = (this.varintHigh | 0) * 0x1_0000_0000 + this.varintLow;
    if (Number.isSafeInteger(value)) return value;
    const bits = (BigInt(this.varintHigh) << 32n) | BigInt(this.varintLow);
    return BigInt.asIntN(64, bits).toString();
  }

  readFixed64(): bigint {
    const at = this.advance(8);
    return this.view.getBigUint64(at, true);
  }

  readSfixed64(): bigint {
    const at = this.advance(8);
    return this.view.getBigInt64(at, true);
  }

  /** Reads a `fixed64` as a number; counts above 2^53 lose precision. */
  readFixed64AsNumber(): number {
    const at = this.advance(8);
    return this.view.getUint32(at + 4, true) * 0x1_0000_0000 + this.view.getUint32(at, true);
  }

  readFixed32(): number {
    const at = this.advance(4);
    return this.view.getUint32(at, true);
  }

  readDouble(): number {
    const at = this.advance(8);
    return this.view.getFloat64(at, true);
  }

  /**
   * Reads the length prefix of a length-delimited field and returns the
   * offset where the field ends, which must not pass `limit` (the end of the
   * enclosing message).
   */
  readLengthEnd(limit: number): number {
    const start = this.pos;
    this.readVarintParts();
    const end = this.pos + this.varintLow;
    if (this.varintHigh !== 0 || end > limit) {
      const length = this.varintHigh * 0x1_0000_0000 + this.varintLow;
      throw new DecodeFailure(
        `length-delimited field of ${length} bytes is longer than the ${Math.max(0, limit - this.pos)} bytes left in its message, as in a truncated body,`,
        start,
      );
    }
    return end;
  }

  /** Reads a `string` field, rejecting invalid UTF-8. */
  readString(limit: number): string {
    const end = this.readLengthEnd(limit);
    const text = decodeUtf8(this.body, this.pos, end);
    this.pos = end;
    return text;
  }

  /** Reads a `string` field that is likely to repeat, such as an attribute key or span name. */
  readRepeatedString(limit: number): string {
    const end = this.readLengthEnd(limit);
    const text = decodeUtf8Cached(this.body, this.pos, end);
    this.pos = end;
    return text;
  }

  /** Reads a `bytes` field as lowercase hex; used for trace and span ids. */
  readHex(limit: number): string {
    const end = this.readLengthEnd(limit);
    const hex = bytesToHex(this.bytes, this.pos, end);
    this.pos = end;
    return hex;
  }

  readBase64(limit: number): string {
    const end = this.readLengthEnd(limit);
    const base64 = this.body.buffer.toString('base64', this.pos, end);
    this.pos = end;
    return base64;
  }

  /**
   * Reads the values of a repeated scalar field sent packed (one
   * length-delimited run) into `values`; `readOne` reads a single value.
   */
  readPacked<T>(limit: number, values: T[], readOne: (reader: ProtoReader) => T): void {
    const end = this.readLengthEnd(limit);
    while (this.pos < end) values.push(readOne(this));
    this.expectEnd(end);
  }

  /** Skips the value of a field that the decoder does not read, including nested groups. */
  skipField(tag: number, limit: number): void {
    const wireType = tag & 7;
    if (wireType === WireType.varint) this.readVarintParts();
    else if (wireType === WireType.fixed64) this.advance(8);
    else if (wireType === WireType.lengthDelimited) this.pos = this.readLengthEnd(limit);
    else if (wireType === WireType.fixed32) this.advance(4);
    else if (wireType === WireType.startGroup) this.skipGroup(tag >>> 3, limit);
    else throw new DecodeFailure(`unexpected wire type ${describeWireType(wireType)}`, this.pos);
  }

  /** Checks that the fields of a message ended exactly at its declared end. */
  expectEnd(end: number): void {
    if (this.pos !== end) {
      throw new DecodeFailure(
        `field runs ${this.pos - end} bytes past the end of its message`,
        end,
      );
    }
  }

  private skipGroup(fieldNumber: number, limit: number): void {
    const openFields = [fieldNumber];
    while (openFields.length > 0) {
      if (this.pos >= limit) {
        throw new DecodeFailure(`group of field ${fieldNumber} has no end-group tag`, this.pos);
      }
      const tag = this.readTag();
      const wireType = tag & 7;
      if (wireType === WireType.endGroup) {
        if (tag >>> 3 !== openFields.pop()) {
          throw new DecodeFailure(
            `end-group tag of field ${tag >>> 3} does not match its start`,
            this.pos,
          );
        }
      } else if (wireType === WireType.startGroup) {
        if (openFields.length >= MAX_GROUP_DEPTH) {
          throw new DecodeFailure(`groups nested deeper than ${MAX_GROUP_DEPTH} levels`, this.pos);
        }
        openFields.push(tag >>> 3);
      } else {
        this.skipField(tag, limit);
      }
    }
  }

  private advance(byteCount: number): number {
    const at = this.pos;
    if (at + byteCount > this.bytes.length) {
      throw new DecodeFailure(`truncated ${byteCount}-byte value`, at);
    }
    this.pos = at + byteCount;
    return at;
  }

  /** Decodes a varint of up to 10 bytes into varintLow and varintHigh. */
  private readVarintParts(): void {
    const bytes = this.bytes;
    const start = this.pos;
    const available = Math.min(bytes.length - start, 10);
    let low = 0;
    let high = 0;
    for (let i = 0; i < available; i++) {
      const byte = bytes[start + i]!;
      if (i < 4) low |= (byte & 0x7f) << (7 * i);
      else if (i === 4) {
        low |= (byte & 0x0f) << 28;
        high = (byte & 0x7f) >>> 4;
      } else high |= (byte & 0x7f) << (7 * i - 32);
      if (byte < 0x80) {
        this.pos = start + i + 1;
        this.varintLow = low >>> 0;
        this.varintHigh = high >>> 0;
        return;
      }
    }
    const reason = available === 10 ? 'varint longer than 10 bytes' : 'truncated varint';
    throw new DecodeFailure(reason, start);
  }
}
