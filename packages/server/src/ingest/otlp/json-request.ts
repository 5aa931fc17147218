import { DecodeFailure, toJsonDecodeError } from './decode-error.ts';
import { describeJson, failAt, getField, isJsonObject, type JsonObject } from './json-fields.ts';

/**
 * Parses an OTLP/JSON body and returns the array under its top-level field
 * (`resourceSpans`, `resourceMetrics` or `resourceLogs`, or the snake_case
 * name). JSON syntax errors and any other top level throw OtlpDecodeError.
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
