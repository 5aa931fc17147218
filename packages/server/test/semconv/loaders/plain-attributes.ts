import type { AttributeValue, Attributes } from '../../../src/ingest/otlp/otlp-model.ts';

/**
 * Converts attribute values written as plain JSON into the decoded model. Most are
 * native already. Some fixtures keep an OTLP/JSON array as `{values: [{stringValue}]}`,
 * which becomes a plain array here as the OTLP decoders would produce it.
 */
export function toAttributes(raw: unknown): Attributes {
  const attributes: Attributes = {};
  if (raw === null || typeof raw !== 'object') return attributes;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    attributes[key] = toAttributeValue(value);
  }
  return attributes;
}

function toAttributeValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (Array.isArray(value)) return value.map(toAttributeValue);
  if (typeof value !== 'object') return String(value);

  const object = value as Record<string, unknown>;
  if (Array.isArray(object.values) && Object.keys(object).length === 1) {
    return object.values.map(fromAnyValue);
  }
  return toAttributes(object);
}

function fromAnyValue(item: unknown): AttributeValue {
  if (item === null || typeof item !== 'object') return toAttributeValue(item);
  const anyValue = item as Record<string, unknown>;
  if ('stringValue' in anyValue) return String(anyValue.stringValue);
  if ('intValue' in anyValue) return Number(anyValue.intValue);
  if ('doubleValue' in anyValue) return Number(anyValue.doubleValue);
  if ('boolValue' in anyValue) return Boolean(anyValue.boolValue);
  return toAttributeValue(item);
}
