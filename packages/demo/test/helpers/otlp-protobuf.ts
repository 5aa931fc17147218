/**
 * A test-only decoder for OTLP `ExportTraceServiceRequest` protobuf bodies.
 * It reads the fields the demo tests check and skips the rest; field
 * numbers follow opentelemetry-proto's trace/v1 and common/v1 messages.
 */

export type DecodedValue = string | number | boolean | bigint | DecodedValue[] | Uint8Array | null;

export interface DecodedSpan {
  resource: Record<string, DecodedValue>;
  scopeName: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, DecodedValue>;
  statusCode: number;
  statusMessage: string;
}

/** OTLP span kinds as numbered in the protocol. */
export const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  atEnd(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  tag(): { field: number; wireType: number } {
    const tag = Number(this.varint());
    return { field: tag >>> 3, wireType: tag & 7 };
  }

  bytes(): Uint8Array {
    const length = Number(this.varint());
    const value = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  fixed64(): Uint8Array {
    const value = this.buf.subarray(this.pos, this.pos + 8);
    this.pos += 8;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

/** Calls `onField` for every field of a message; the callback returns false to skip the field. */
function readMessage(
  buf: Uint8Array,
  onField: (field: number, wireType: number, reader: Reader) => boolean,
): void {
  const reader = new Reader(buf);
  while (!reader.atEnd()) {
    const { field, wireType } = reader.tag();
    if (!onField(field, wireType, reader)) reader.skip(wireType);
  }
}

const text = new TextDecoder();
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const uint64 = (bytes: Uint8Array): bigint => Buffer.from(bytes).readBigUInt64LE(0);

function decodeAnyValue(buf: Uint8Array): DecodedValue {
  let value: DecodedValue = null;
  readMessage(buf, (field, wireType, reader) => {
    if (field === 1 && wireType === 2) value = text.decode(reader.bytes());
    else if (field === 2 && wireType === 0) value = reader.varint() !== 0n;
    else if (field === 3 && wireType === 0) value = Number(BigInt.asIntN(64, reader.varint()));
    else if (field === 4 && wireType === 1) value = Buffer.from(reader.fixed64()).readDoubleLE(0);
    else if (field === 5 && wireType === 2) value = decodeArray(reader.bytes());
    else if (field === 7 && wireType === 2) value = reader.bytes();
    else return false;
    return true;
  });
  return value;
}

function decodeArray(buf: Uint8Array): DecodedValue[] {
  const values: DecodedValue[] = [];
  readMessage(buf, (field, wireType, reader) => {
    if (field !== 1 || wireType !== 2) return false;
    values.push(decodeAnyValue(reader.bytes()));
    return true;
  });
  return values;
}

function decodeKeyValue(buf: Uint8Array, into: Record<string, DecodedValue>): void {
  let key = '';
  let value: DecodedValue = null;
  readMessage(buf, (field, wireType, reader) => {
    if (field === 1 && wireType === 2) key = text.decode(reader.bytes());
    else if (field === 2 && wireType === 2) value = decodeAnyValue(reader.bytes());
    else return false;
    return true;
  });
  into[key] = value;
}

function decodeAttributesOf(
  buf: Uint8Array,
  attributesField: number,
): Record<string, DecodedValue> {
  const attributes: Record<string, DecodedValue> = {};
  readMessage(buf, (field, wireType, reader) => {
    if (field !== attributesField || wireType !== 2) return false;
    decodeKeyValue(reader.bytes(), attributes);
    return true;
  });
  return attributes;
}

function decodeSpan(
  buf: Uint8Array,
  resource: Record<string, DecodedValue>,
  scopeName: string,
): DecodedSpan {
  const span: DecodedSpan = {
    resource,
    scopeName,
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    statusCode: 0,
    statusMessage: '',
  };
  readMessage(buf, (field, wireType, reader) => {
    if (field === 1 && wireType === 2) span.traceId = hex(reader.bytes());
    else if (field === 2 && wireType === 2) span.spanId = hex(reader.bytes());
    else if (field === 4 && wireType === 2) span.parentSpanId = hex(reader.bytes());
    else if (field === 5 && wireType === 2) span.name = text.decode(reader.bytes());
    else if (field === 6 && wireType === 0) span.kind = Number(reader.varint());
    else if (field === 7 && wireType === 1) span.startTimeUnixNano = uint64(reader.fixed64());
    else if (field === 8 && wireType === 1) span.endTimeUnixNano = uint64(reader.fixed64());
    else if (field === 9 && wireType === 2) decodeKeyValue(reader.bytes(), span.attributes);
    else if (field === 15 && wireType === 2) decodeStatus(reader.bytes(), span);
    else return false;
    return true;
  });
  return span;
}

function decodeStatus(buf: Uint8Array, span: DecodedSpan): void {
  readMessage(buf, (field, wireType, reader) => {
    if (field === 2 && wireType === 2) span.statusMessage = text.decode(reader.bytes());
    else if (field === 3 && wireType === 0) span.statusCode = Number(reader.varint());
    else return false;
    return true;
  });
}

function decodeScopeSpans(
  buf: Uint8Array,
  resource: Record<string, DecodedValue>,
  spans: DecodedSpan[],
): void {
  let scopeName = '';
  const spanBodies: Uint8Array[] = [];
  readMessage(buf, (field, wireType, reader) => {
    if (field === 1 && wireType === 2) {
      readMessage(reader.bytes(), (scopeField, scopeWireType, scopeReader) => {
        if (scopeField !== 1 || scopeWireType !== 2) return false;
        scopeName = text.decode(scopeReader.bytes());
        return true;
      });
    } else if (field === 2 && wireType === 2) spanBodies.push(reader.bytes());
    else return false;
    return true;
  });
  for (const body of spanBodies) spans.push(decodeSpan(body, resource, scopeName));
}

/** Decodes every span of one request body, each with its resource attributes. */
export function decodeTraceRequest(body: Uint8Array): DecodedSpan[] {
  const spans: DecodedSpan[] = [];
  readMessage(body, (field, wireType, reader) => {
    if (field !== 1 || wireType !== 2) return false;
    let resource: Record<string, DecodedValue> = {};
    const scopeBodies: Uint8Array[] = [];
    readMessage(reader.bytes(), (resourceField, resourceWireType, resourceReader) => {
      if (resourceField === 1 && resourceWireType === 2)
        resource = decodeAttributesOf(resourceReader.bytes(), 1);
      else if (resourceField === 2 && resourceWireType === 2)
        scopeBodies.push(resourceReader.bytes());
      else return false;
      return true;
    });
    for (const scopeBody of scopeBodies) decodeScopeSpans(scopeBody, resource, spans);
    return true;
  });
  return spans;
}
