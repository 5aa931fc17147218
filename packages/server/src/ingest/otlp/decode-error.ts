import { InvalidRequestError } from '../../errors.ts';

export type OtlpDecodeErrorCode = 'OTLP_INVALID_PROTOBUF' | 'OTLP_INVALID_JSON';

/** A request body that is not a valid OTLP export request; the HTTP edge responds with 400. */
export class OtlpDecodeError extends InvalidRequestError {
  /** Field path in OTLP/JSON names, such as `resourceSpans[0].scopeSpans[1].spans[3].traceId`; empty for the top level. */
  readonly path: string;
  /** Offset into the protobuf body where decoding failed; null for JSON. */
  readonly byteOffset: number | null;

  constructor(code: OtlpDecodeErrorCode, message: string, path: string, byteOffset: number | null) {
    super(message, code);
    this.path = path;
    this.byteOffset = byteOffset;
  }
}

/**
 * An internal decoding failure. Each message decoder on the way up adds its
 * path segment, so the happy path never builds path strings.
 */
export class DecodeFailure extends Error {
  readonly reason: string;
  readonly byteOffset: number | null;
  /** Path segments, innermost first. */
  readonly segmentsReversed: string[] = [];

  constructor(reason: string, byteOffset: number | null) {
    super(reason);
    this.reason = reason;
    this.byteOffset = byteOffset;
  }

  get path(): string {
    let path = '';
    for (let i = this.segmentsReversed.length - 1; i >= 0; i--) {
      const segment = this.segmentsReversed[i]!;
      path += path === '' || segment.startsWith('[') ? segment : `.${segment}`;
    }
    return path;
  }
}

/** Adds `segment` to the path of a DecodeFailure and returns the error for rethrowing. */
export function withSegment(error: unknown, segment: string): unknown {
  if (error instanceof DecodeFailure && segment !== '') error.segmentsReversed.push(segment);
  return error;
}

/** Turns a DecodeFailure from the protobuf decoders into the public error; other errors pass through. */
export function toProtobufDecodeError(error: unknown, messageName: string): unknown {
  if (!(error instanceof DecodeFailure)) return error;
  const path = error.path;
  const where = path === '' ? '' : ` in ${path}`;
  const message =
    `Invalid protobuf ${messageName}: ${error.reason} at byte ${error.byteOffset ?? 0}${where}. ` +
    `Send a protobuf-encoded ${messageName}, and label a compressed body with its Content-Encoding.`;
  return new OtlpDecodeError('OTLP_INVALID_PROTOBUF', message, path, error.byteOffset);
}

/** Turns a DecodeFailure from the JSON decoders into the public error; other errors pass through. */
export function toJsonDecodeError(error: unknown, messageName: string): unknown {
  if (!(error instanceof DecodeFailure)) return error;
  const path = error.path;
  const where = path === '' ? '' : ` at ${path}`;
  const message = `Invalid OTLP/JSON ${messageName}${where}: ${error.reason}.`;
  return new OtlpDecodeError('OTLP_INVALID_JSON', message, path, null);
}
