import type { AttributeValue, Attributes } from '../ingest/otlp/otlp-model.ts';

/** Returns the first non-empty string value among `keys`, converting numbers and booleans. */
export function readString(attributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  }
  return null;
}

/**
 * Returns the first finite, non-negative number among `keys`. Numeric strings count,
 * because several instrumentations send token counts as strings.
 */
export function readCount(attributes: Attributes, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = toNumber(attributes[key]);
    if (value !== null && value >= 0) return value;
  }
  return null;
}

/** Returns the first finite number among `keys`, signed. */
export function readNumber(attributes: Attributes, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = toNumber(attributes[key]);
    if (value !== null) return value;
  }
  return null;
}

function toNumber(value: AttributeValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/** True when any key of `attributes` starts with one of `prefixes`. */
export function hasKeyWithPrefix(attributes: Attributes, prefixes: readonly string[]): boolean {
  for (const key in attributes) {
    for (const prefix of prefixes) {
      if (key.startsWith(prefix)) return true;
    }
  }
  return false;
}

/**
 * Returns the attribute as a plain object: a kvlist value as is, or a string that
 * contains a JSON object, parsed. Returns null for anything else, including invalid
 * or truncated JSON.
 */
export function readJsonObject(
  attributes: Attributes,
  key: string,
): { [key: string]: AttributeValue } | null {
  const value = parseJsonText(attributes[key]);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return value;
}

/** Returns `value` parsed when it is a JSON string, else the value itself. */
export function parseJsonText(value: AttributeValue | undefined): AttributeValue | null {
  if (typeof value !== 'string') return value ?? null;
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[' && first !== '"') return value;
  try {
    return JSON.parse(value) as AttributeValue;
  } catch {
    return null;
  }
}

/** Returns the first finite, non-negative number among `keys` of a parsed JSON object. */
export function readObjectCount(
  object: { [key: string]: AttributeValue } | null,
  keys: readonly string[],
): number | null {
  if (object === null) return null;
  return readCount(object, keys);
}
