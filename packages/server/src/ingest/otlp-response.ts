/**
 * Encoders for the two small protobuf messages an OTLP/HTTP receiver sends:
 * `ExportTraceServiceResponse` (field 1: `ExportTracePartialSuccess` with
 * rejected_spans = 1 and error_message = 2) and `google.rpc.Status`
 * (code = 1, message = 2).
 */

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}

function lengthDelimited(fieldNumber: number, payload: Uint8Array): number[] {
  return [(fieldNumber << 3) | 2, ...varint(payload.length), ...payload];
}

function varintField(fieldNumber: number, value: number): number[] {
  return [(fieldNumber << 3) | 0, ...varint(value)];
}

const utf8 = new TextEncoder();

export function encodeRpcStatus(code: number, message: string): Buffer {
  return Buffer.from([...varintField(1, code), ...lengthDelimited(2, utf8.encode(message))]);
}

/** An empty response when nothing was rejected, else one with `partial_success`. */
export function encodeTracePartialSuccess(rejectedSpans: number, errorMessage: string): Buffer {
  if (rejectedSpans === 0) return Buffer.alloc(0);
  const partial = Uint8Array.from([
    ...varintField(1, rejectedSpans),
    ...lengthDelimited(2, utf8.encode(errorMessage)),
  ]);
  return Buffer.from(lengthDelimited(1, partial));
}
