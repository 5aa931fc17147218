/**
 * Encoders for the small protobuf messages an OTLP receiver sends. The three
 * export responses share one layout: field 1 is the partial success message,
 * whose field 1 is the rejected count (spans, data points or log records) and
 * field 2 the error message. `google.rpc.Status` has code = 1 and message = 2.
 */

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
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

/**
 * An empty export response when nothing was rejected and there is no warning, else one with
 * `partial_success`: the rejected count, and the reason or, with 0 rejected, the warning.
 */
export function encodeExportResponse(rejected: number, errorMessage: string): Buffer {
  if (rejected === 0 && errorMessage === '') return Buffer.alloc(0);
  const partial = Uint8Array.from([
    ...varintField(1, rejected),
    ...lengthDelimited(2, utf8.encode(errorMessage)),
  ]);
  return Buffer.from(lengthDelimited(1, partial));
}

/** The OTLP/JSON name of the rejected count in each signal's partial success. */
export const REJECTED_FIELD = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
} as const;
