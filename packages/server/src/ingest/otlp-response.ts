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

/** A `google.protobuf.Any` in the details of a `google.rpc.Status`. */
export interface StatusDetail {
  typeUrl: string;
  value: Uint8Array;
}

export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** Encodes `google.rpc.Status`: the code, the message, then each detail as field 3. */
export function encodeRpcStatus(
  code: number,
  message: string,
  details: readonly StatusDetail[] = [],
): Buffer {
  const bytes = [...varintField(1, code), ...lengthDelimited(2, utf8.encode(message))];
  for (const detail of details) {
    const any = [
      ...lengthDelimited(1, utf8.encode(detail.typeUrl)),
      ...lengthDelimited(2, detail.value),
    ];
    bytes.push(...lengthDelimited(3, Uint8Array.from(any)));
  }
  return Buffer.from(bytes);
}

/**
 * Encodes `google.rpc.RetryInfo`, whose field 1 is the delay as a `google.protobuf.Duration`
 * of whole seconds (field 1) and nanoseconds (field 2).
 */
export function encodeRetryInfo(delaySeconds: number): Buffer {
  const seconds = Math.floor(delaySeconds);
  const nanos = Math.round((delaySeconds - seconds) * 1e9);
  const duration = [
    ...(seconds > 0 ? varintField(1, seconds) : []),
    ...(nanos > 0 ? varintField(2, nanos) : []),
  ];
  return Buffer.from(lengthDelimited(1, Uint8Array.from(duration)));
}

/**
 * Encodes an empty export response when nothing was rejected and there is no warning, else one with
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
