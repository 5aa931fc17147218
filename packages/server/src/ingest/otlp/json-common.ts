import { MAX_ANY_VALUE_DEPTH, setAttribute } from './attributes.ts';
import {
  describeJson,
  failAt,
  getField,
  inField,
  isJsonObject,
  parseJsonDouble,
  readArray,
  readObject,
  readString,
  type JsonObject,
} from './json-fields.ts';
import type { AttributeValue, Attributes, OtlpScope } from './otlp-model.ts';
import { withSegment } from './decode-error.ts';

const SAFE_INTEGER_PATTERN = /^-?\d{1,15}$/;
const INT64_PATTERN = /^-?\d{1,19}$/;

/** Converts an `intValue` to a number when it is a safe integer, else to its decimal string. */
function decodeIntValue(value: unknown): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return Number.isSafeInteger(value) ? value : BigInt(value).toString();
  }
  if (typeof value === 'string') {
    if (SAFE_INTEGER_PATTERN.test(value)) return Number(value);
    if (INT64_PATTERN.test(value)) {
      const integer = BigInt.asIntN(64, BigInt(value));
      if (integer === BigInt(value)) {
        return Number.isSafeInteger(Number(integer)) ? Number(integer) : integer.toString();
      }
    }
  }
  return failAt(
    'intValue',
    `expected an int64 as a decimal string or integer, got ${describeJson(value)}`,
  );
}

function decodeListValues(list: JsonObject | undefined, depth: number): unknown[] {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    failAt(
      '',
      `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels of arrayValue and kvlistValue`,
    );
  }
  return list === undefined ? [] : readArray(list, 'values');
}

function decodeArrayValue(object: JsonObject, depth: number): AttributeValue[] {
  const list = readObject(object, 'arrayValue', 'array_value');
  const items = inField('arrayValue', () => decodeListValues(list, depth));
  const values: AttributeValue[] = new Array<AttributeValue>(items.length);
  for (let i = 0; i < items.length; i++) {
    try {
      values[i] = decodeJsonAnyValue(items[i], depth);
    } catch (error) {
      throw withSegment(withSegment(error, `values[${i}]`), 'arrayValue');
    }
  }
  return values;
}

function decodeKvlistValue(object: JsonObject, depth: number): Attributes {
  const list = readObject(object, 'kvlistValue', 'kvlist_value');
  const items = inField('kvlistValue', () => decodeListValues(list, depth));
  return inField('kvlistValue', () => decodeJsonKeyValues(items, 'values', depth));
}

/**
 * Decodes an OTLP/JSON `AnyValue`. An empty object becomes null; `bytesValue`
 * stays the base64 text that the JSON encoding carries.
 */
export function decodeJsonAnyValue(value: unknown, depth: number): AttributeValue {
  if (!isJsonObject(value))
    return failAt('', `expected an AnyValue object, got ${describeJson(value)}`);
  const text = value.stringValue;
  if (typeof text === 'string') return text;
  if (text === undefined || text === null) return decodeOtherValue(value, depth);
  return failAt('stringValue', `expected a string, got ${describeJson(text)}`);
}

function decodeOtherValue(object: JsonObject, depth: number): AttributeValue {
  const snakeText = getField(object, 'stringValue', 'string_value');
  if (snakeText !== undefined) return readString(object, 'stringValue', 'string_value');
  const intValue = getField(object, 'intValue', 'int_value');
  if (intValue !== undefined) return decodeIntValue(intValue);
  const doubleValue = getField(object, 'doubleValue', 'double_value');
  if (doubleValue !== undefined) return decodeDoubleValue(doubleValue);
  const boolValue = getField(object, 'boolValue', 'bool_value');
  if (boolValue !== undefined) {
    if (typeof boolValue === 'boolean') return boolValue;
    return failAt('boolValue', `expected true or false, got ${describeJson(boolValue)}`);
  }
  if (getField(object, 'arrayValue', 'array_value') !== undefined)
    return decodeArrayValue(object, depth + 1);
  if (getField(object, 'kvlistValue', 'kvlist_value') !== undefined)
    return decodeKvlistValue(object, depth + 1);
  if (getField(object, 'bytesValue', 'bytes_value') !== undefined) {
    return readString(object, 'bytesValue', 'bytes_value');
  }
  return null;
}

function decodeDoubleValue(value: unknown): number {
  const number = parseJsonDouble(value);
  if (number === null)
    return failAt('doubleValue', `expected a number, got ${describeJson(value)}`);
  return number;
}

/** Decodes a JSON array of `KeyValue` objects into attributes; `name` is the field for error paths. */
export function decodeJsonKeyValues(items: unknown[], name: string, depth: number): Attributes {
  const attributes: Attributes = {};
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    try {
      if (!isJsonObject(item)) failAt('', `expected a KeyValue object, got ${describeJson(item)}`);
      const key = readString(item, 'key');
      const value = item.value;
      setAttribute(
        attributes,
        key,
        value === undefined || value === null
          ? null
          : inField('value', () => decodeJsonAnyValue(value, depth)),
      );
    } catch (error) {
      throw withSegment(error, `${name}[${i}]`);
    }
  }
  return attributes;
}

/** Reads the `attributes` field of a message. */
export function readJsonAttributes(object: JsonObject): Attributes {
  const items = readArray(object, 'attributes');
  return items.length === 0 ? {} : decodeJsonKeyValues(items, 'attributes', 0);
}

/** Decodes an `InstrumentationScope`, or the deprecated `InstrumentationLibrary` of the same layout. */
export function decodeJsonScope(object: JsonObject | undefined): OtlpScope {
  if (object === undefined) return { name: '', version: '', attributes: {} };
  return {
    name: readString(object, 'name'),
    version: readString(object, 'version'),
    attributes: readJsonAttributes(object),
  };
}

/** Decodes a `Resource` into its attributes. */
export function decodeJsonResource(object: JsonObject | undefined): Attributes {
  return object === undefined ? {} : readJsonAttributes(object);
}
