import type { Attributes } from './otlp/otlp-model.ts';

/** Serializes attributes with sorted keys, so equal sets give equal series keys. */
export function toJsonKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  const sorted: Attributes = {};
  for (const key of keys) sorted[key] = attributes[key]!;
  return JSON.stringify(sorted);
}
