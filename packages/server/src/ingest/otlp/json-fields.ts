import { DecodeFailure, withSegment } from './decode-error.ts';
import { jsonIdToHex } from './hex-ids.ts';
import { quoteValue } from './id-check.ts';
import { lookupTable } from '../../lookup-table.ts';

export type JsonObject = Record<string, unknown>;

const MAX_UINT64 = (1n << 64n) - 1n;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const UNSIGNED_PATTERN = /^\d{1,20}$/;
const SIGNED_PATTERN = /^-?\d{1,19}$/;

/** Throws a DecodeFailure whose path ends at `segment`. */
export function failAt(segment: string, reason: string): never {
  throw withSegment(new DecodeFailure(reason, null), segment);
}

/** Describes a JSON value's type for messages: `a string "abc"`, `an array`, `null`. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${quoteValue(value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}

/**
 * Returns a field by its lowerCamelCase name or, failing that, its snake_case
 * proto name, which some exporters send. Null counts as absent, as in the
 * protobuf JSON mapping.
 */
export function getField(object: JsonObject, camelName: string, snakeName: string): unknown {
  const value = object[camelName];
  if (value !== undefined && value !== null) return value;
  const snakeValue = snakeName === camelName ? undefined : object[snakeName];
  return snakeValue === null ? undefined : snakeValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readString(object: JsonObject, camelName: string, snakeName = camelName): string {
  const value = getField(object, camelName, snakeName);
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return failAt(camelName, `expected a string, got ${describeJson(value)}`);
}

export function readBool(object: JsonObject, camelName: string, snakeName = camelName): boolean {
  const value = getField(object, camelName, snakeName);
  if (typeof value === 'boolean') return value;
  if (value === undefined) return false;
  return failAt(camelName, `expected true or false, got ${describeJson(value)}`);
}

export function readObject(
  object: JsonObject,
  camelName: string,
  snakeName = camelName,
): JsonObject | undefined {
  const value = getField(object, camelName, snakeName);
  if (value === undefined || isJsonObject(value)) return value;
  return failAt(camelName, `expected an object, got ${describeJson(value)}`);
}

export function readArray(object: JsonObject, camelName: string, snakeName = camelName): unknown[] {
  const value = getField(object, camelName, snakeName);
  if (Array.isArray(value)) return value;
  if (value === undefined) return [];
  return failAt(camelName, `expected an array, got ${describeJson(value)}`);
}

/** Parses an integer sent as a JSON number or decimal string (the protobuf JSON mapping allows both). */
function parseInteger(value: unknown, pattern: RegExp): bigint | null {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : null;
  if (typeof value === 'string' && pattern.test(value)) return BigInt(value);
  return null;
}

function readInteger(
  object: JsonObject,
  names: readonly [string, string],
  range: readonly [bigint, bigint],
  pattern: RegExp,
): bigint {
  const value = getField(object, names[0], names[1]);
  if (value === undefined) return 0n;
  const integer = parseInteger(value, pattern);
  if (integer === null || integer < range[0] || integer > range[1]) {
    return failAt(
      names[0],
      `expected an integer from ${range[0]} to ${range[1]}, got ${describeJson(value)}`,
    );
  }
  return integer;
}

/** Reads a `fixed64`/`uint64` field such as a Unix-nanosecond time; 0n when absent. */
export function readUint64(object: JsonObject, camelName: string, snakeName = camelName): bigint {
  return readInteger(object, [camelName, snakeName], [0n, MAX_UINT64], UNSIGNED_PATTERN);
}

/** Reads an `int64`/`sfixed64` field; 0n when absent. */
export function readInt64(object: JsonObject, camelName: string, snakeName = camelName): bigint {
  return readInteger(object, [camelName, snakeName], [MIN_INT64, MAX_INT64], SIGNED_PATTERN);
}

/** Reads a `uint64` count as a number; counts above 2^53 lose precision. */
export function readCount(object: JsonObject, camelName: string, snakeName = camelName): number {
  return Number(readUint64(object, camelName, snakeName));
}

function readSmallInteger(
  object: JsonObject,
  names: readonly [string, string],
  min: number,
  max: number,
): number {
  const value = getField(object, names[0], names[1]);
  if (value === undefined) return 0;
  let number = Number.NaN;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && /^-?\d{1,10}$/.test(value)) number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    return failAt(
      names[0],
      `expected an integer from ${min} to ${max}, got ${describeJson(value)}`,
    );
  }
  return number;
}

export function readUint32(object: JsonObject, camelName: string, snakeName = camelName): number {
  return readSmallInteger(object, [camelName, snakeName], 0, 0xffff_ffff);
}

export function readInt32(object: JsonObject, camelName: string, snakeName = camelName): number {
  return readSmallInteger(object, [camelName, snakeName], -0x8000_0000, 0x7fff_ffff);
}

/**
 * Reads an enum field sent as a number (the OTLP/JSON rule) or as its
 * protobuf name such as `SPAN_KIND_CLIENT` (what generic protobuf JSON
 * encoders send). Unknown numbers are kept, as protobuf does for open enums.
 */
export function readEnum(
  object: JsonObject,
  names: readonly [string, string],
  valuesByName: Readonly<Record<string, number>>,
): number {
  const value = getField(object, names[0], names[1]);
  if (typeof value !== 'string' || /^-?\d+$/.test(value))
    return readInt32(object, names[0], names[1]);
  const number = Object.hasOwn(valuesByName, value) ? valuesByName[value] : undefined;
  if (number !== undefined) return number;
  const allowed = Object.keys(valuesByName).join(', ');
  return failAt(
    names[0],
    `unknown enum name ${quoteValue(value)}; send a number or one of ${allowed}`,
  );
}

const SPECIAL_DOUBLES: Readonly<Record<string, number>> = lookupTable({
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
});

/** Parses a double sent as a JSON number, a numeric string, or `NaN` / `Infinity` / `-Infinity`. */
export function parseJsonDouble(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const special = SPECIAL_DOUBLES[value];
  if (special !== undefined) return special;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  return Number.isNaN(number) ? null : number;
}

/** Reads a `double` field; null when absent, so optional fields stay distinguishable. */
export function readDouble(
  object: JsonObject,
  camelName: string,
  snakeName = camelName,
): number | null {
  const value = getField(object, camelName, snakeName);
  if (value === undefined) return null;
  const number = parseJsonDouble(value);
  if (number === null) return failAt(camelName, `expected a number, got ${describeJson(value)}`);
  return number;
}

/**
 * Reads a trace or span id as lowercase hex. Text that is neither hex nor
 * base64 of the right length is kept as sent, so the span check can name it.
 */
export function readId(
  object: JsonObject,
  camelName: string,
  snakeName: string,
  idBytes: number,
): string {
  const text = readString(object, camelName, snakeName);
  if (text === '') return '';
  return jsonIdToHex(text, idBytes) ?? text;
}

/** Decodes each element of a JSON array of messages, adding `name[index]` to the path of a failure. */
export function mapMessages<T>(
  items: unknown[],
  name: string,
  decode: (item: JsonObject) => T,
): T[] {
  const results: T[] = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isJsonObject(item))
      failAt(`${name}[${i}]`, `expected an object, got ${describeJson(item)}`);
    try {
      results[i] = decode(item);
    } catch (error) {
      throw withSegment(error, `${name}[${i}]`);
    }
  }
  return results;
}

/** Runs `decode` and adds `segment` to the path of a failure inside it. */
export function inField<T>(segment: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw withSegment(error, segment);
  }
}
