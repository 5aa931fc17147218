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

  /**
   * The path in OTLP/JSON names. A run of at least MIN_COLLAPSED_REPEATS equal steps, as in
   * deeply nested values, is written once with its count: `value(.arrayValue.values[0] ×64)`.
   */
  get path(): string {
    const steps: string[] = [];
    for (let i = this.segmentsReversed.length - 1; i >= 0; i--) {
      const segment = this.segmentsReversed[i]!;
      steps.push(steps.length === 0 || segment.startsWith('[') ? segment : `.${segment}`);
    }
    return collapseRepeats(steps);
  }
}

/** Minimum number of repeats of a step sequence that `DecodeFailure.path` writes once with a count. */
const MIN_COLLAPSED_REPEATS = 4;
/** Maximum number of steps in a repeated sequence, such as `.arrayValue`, `.values`, `[0]`. */
const MAX_REPEATED_STEPS = 3;

/** Joins path steps, writing each run of a repeated step sequence once with its count. */
function collapseRepeats(steps: readonly string[]): string {
  let path = '';
  let index = 0;
  while (index < steps.length) {
    let collapsed = false;
    for (let size = 1; size <= MAX_REPEATED_STEPS && !collapsed; size++) {
      const repeats = countRepeats(steps, index, size);
      if (repeats >= MIN_COLLAPSED_REPEATS) {
        path += `(${steps.slice(index, index + size).join('')} ×${repeats})`;
        index += size * repeats;
        collapsed = true;
      }
    }
    if (!collapsed) path += steps[index++];
  }
  return path;
}

/** Counts how many times the `size` steps at `start` occur in a row from there. */
function countRepeats(steps: readonly string[], start: number, size: number): number {
  let repeats = 1;
  for (;;) {
    const next = start + repeats * size;
    if (next + size > steps.length) return repeats;
    for (let offset = 0; offset < size; offset++) {
      if (steps[next + offset] !== steps[start + offset]) return repeats;
    }
    repeats++;
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
