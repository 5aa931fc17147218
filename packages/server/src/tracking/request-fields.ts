import type { KeyValue } from './entities.ts';
import { invalidParameter } from './mlflow-error.ts';

/** Request fields: the JSON body, or the query string for GET (repeated keys become arrays). */
export type Fields = Record<string, unknown>;

function scalar(fields: Fields, name: string): unknown {
  const value = fields[name];
  return Array.isArray(value) ? value[0] : value;
}

function missing(name: string): Error {
  return invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );
}

export function optionalString(fields: Fields, name: string): string | undefined {
  const value = scalar(fields, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected a string.`,
  );
}

export function requireString(fields: Fields, name: string): string {
  const value = optionalString(fields, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

/** Reads the run ID from `run_id`, falling back to the legacy `run_uuid`. */
export function requireRunId(fields: Fields): string {
  const runId = optionalString(fields, 'run_id') || optionalString(fields, 'run_uuid');
  if (!runId) throw missing('run_id');
  return runId;
}

/** Reads an int64 sent as a JSON number or a decimal string. */
export function optionalInt64(fields: Fields, name: string): number | undefined {
  const value = scalar(fields, name);
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed)) {
    throw invalidParameter(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected an integer.`,
    );
  }
  return parsed;
}

export function requireInt64(fields: Fields, name: string): number {
  const value = optionalInt64(fields, name);
  if (value === undefined) throw missing(name);
  return value;
}

/** Reads a double: a JSON number, a numeric string, or "NaN", "Infinity", "-Infinity". */
export function parseDouble(value: unknown, name: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === 'NaN' || trimmed === 'nan') return NaN;
    if (/^[+]?(Infinity|inf)$/i.test(trimmed)) return Infinity;
    if (/^-(Infinity|inf)$/i.test(trimmed)) return -Infinity;
    const parsed = Number(trimmed);
    if (trimmed !== '' && !Number.isNaN(parsed)) return parsed;
  }
  throw invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected a double.`,
  );
}

/** Reads a boolean; query strings carry Python's `True`/`False`, compared case-insensitively. */
export function optionalBool(fields: Fields, name: string): boolean | undefined {
  const value = scalar(fields, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected true or false.`,
  );
}

export function stringList(fields: Fields, name: string): string[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw invalidParameter(
        `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected a list of strings.`,
      );
    }
    return String(item);
  });
}

export function objectList(fields: Fields, name: string): Fields[] {
  const value = fields[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null)) {
    throw invalidParameter(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected a list of objects.`,
    );
  }
  return value as Fields[];
}

/** Reads a `[{key, value}]` list; a missing value reads as the empty string, as protobuf does. */
export function keyValueList(fields: Fields, name: string): KeyValue[] {
  return objectList(fields, name).map((item) => ({
    key: requireString(item, 'key'),
    value: optionalString(item, 'value') ?? '',
  }));
}

/** Reads an enum sent by name or by its protobuf number (1-based lists start at 1). */
export function optionalEnum<T extends string>(
  fields: Fields,
  name: string,
  values: readonly T[],
  firstNumber = 1,
): T | undefined {
  const value = scalar(fields, name);
  if (value === undefined || value === null || value === '') return undefined;
  const byNumber = /^\d+$/.test(String(value)) ? values[Number(value) - firstNumber] : undefined;
  const found = byNumber ?? values.find((candidate) => candidate === String(value).toUpperCase());
  if (found === undefined) {
    throw invalidParameter(
      `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Allowed values: ${values.join(', ')}.`,
    );
  }
  return found;
}
