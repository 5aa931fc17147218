import { DecodeFailure, OtlpDecodeError, toJsonDecodeError } from './decode-error.ts';
import { describeJson, failAt, getField, isJsonObject, type JsonObject } from './json-fields.ts';

/** A `\uD800` to `\uDFFF` escape, half of a surrogate pair, anywhere in JSON text. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Returns the path of the first key or string in a parsed JSON value that is not well-formed
 * UTF-16 (a lone surrogate, from an escape such as `\ud800`), or null when every one is.
 * The walk keeps its own stack, so a deeply nested body cannot overflow the call stack.
 */
function findLoneSurrogate(root: unknown): string | null {
  const pending: [unknown, string][] = [[root, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}[${i}]`]);
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i]!;
        const innerPath = path === '' ? key : `${path}.${key}`;
        if (LONE_SURROGATE.test(key)) return innerPath;
        pending.push([inner, innerPath]);
      }
    }
  }
  return null;
}

/**
 * Rejects a parsed body with an escaped lone surrogate, which decodes to text that UTF-8
 * cannot carry, as invalid UTF-8 is rejected. Only bodies with a surrogate escape are walked.
 */
function rejectLoneSurrogates(text: string, parsed: unknown): void {
  if (!SURROGATE_ESCAPE.test(text)) return;
  const path = findLoneSurrogate(parsed);
  if (path === null) return;
  throw new OtlpDecodeError(
    'OTLP_INVALID_JSON',
    `Invalid OTLP/JSON body: ${path} contains an escaped lone surrogate (\\uD800 to \\uDFFF without its pair), which is not valid Unicode. Escape both halves of the pair or send the character as UTF-8.`,
    path,
    null,
  );
}

/**
 * Parses an OTLP/JSON body and returns the array under its top-level field
 * (`resourceSpans`, `resourceMetrics` or `resourceLogs`, or the snake_case
 * name). JSON syntax errors, escaped lone surrogates and any other top level
 * throw OtlpDecodeError.
 */
export function parseJsonRequest(
  text: string,
  messageName: string,
  names: readonly [string, string],
): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw toJsonDecodeError(
      new DecodeFailure(`body is not valid JSON (${detail})`, null),
      messageName,
    );
  }
  rejectLoneSurrogates(text, parsed);
  try {
    if (!isJsonObject(parsed)) {
      failAt(
        '',
        `expected a JSON object with a "${names[0]}" array at the top level, got ${describeJson(parsed)}`,
      );
    }
    const list = getField(parsed, names[0], names[1]);
    if (!Array.isArray(list)) {
      failAt(
        names[0],
        `expected an array, got ${list === undefined ? 'no such field' : describeJson(list)}`,
      );
    }
    return list;
  } catch (error) {
    throw toJsonDecodeError(error, messageName);
  }
}

/** Runs a JSON decoder and converts its failures into OtlpDecodeError. */
export function decodeJsonBody<T>(messageName: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw toJsonDecodeError(error, messageName);
  }
}

export type { JsonObject };
