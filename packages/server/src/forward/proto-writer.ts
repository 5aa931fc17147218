/** Protobuf wire types used by the encoders, from the protobuf encoding specification. */
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();

/**
 * Appends protobuf fields to a growing buffer. Nested messages are written with
 * `message(field, write)`, which encodes the child into its own writer first
 * because the length prefix comes before the bytes. Default values (zero, empty)
 * are written when asked; callers skip them where proto3 would.
 */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  /** Returns the bytes written so far. */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  varintField(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    return this.varint(BigInt.asUintN(64, BigInt(value)));
  }

  boolField(field: number, value: boolean): this {
    return this.varintField(field, value ? 1 : 0);
  }

  doubleField(field: number, value: number): this {
    this.tag(field, WIRE_FIXED64);
    this.scratch.setFloat64(0, value, true);
    return this.bytes(new Uint8Array(this.scratch.buffer, 0, 8));
  }

  fixed64Field(field: number, value: bigint | number): this {
    this.tag(field, WIRE_FIXED64);
    this.scratch.setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
    return this.bytes(new Uint8Array(this.scratch.buffer, 0, 8));
  }

  fixed32Field(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.scratch.setUint32(0, value >>> 0, true);
    return this.bytes(new Uint8Array(this.scratch.buffer, 0, 4));
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, textEncoder.encode(value));
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(BigInt(value.length));
    return this.bytes(value);
  }

  /** Writes a length-delimited field whose content `write` fills. */
  message(field: number, write: (child: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    return this.bytesField(field, child.finish());
  }

  /** Writes a packed repeated fixed64 or double field, as proto3 does for repeated scalars. */
  packedDoubles(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const view = new DataView(new ArrayBuffer(values.length * 8));
    values.forEach((value, index) => view.setFloat64(index * 8, value, true));
    return this.bytesField(field, new Uint8Array(view.buffer));
  }

  packedFixed64(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const view = new DataView(new ArrayBuffer(values.length * 8));
    values.forEach((value, index) => view.setBigUint64(index * 8, BigInt(value), true));
    return this.bytesField(field, new Uint8Array(view.buffer));
  }

  packedVarints(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const child = new ProtoWriter();
    for (const value of values) child.varint(BigInt.asUintN(64, BigInt(value)));
    return this.bytesField(field, child.finish());
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt(field * 8 + wireType));
  }

  private varint(value: bigint): this {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80n) {
      this.buffer[this.length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buffer[this.length++] = Number(rest);
    return this;
  }

  private bytes(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  private reserve(extraBytes: number): void {
    if (this.length + extraBytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extraBytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
