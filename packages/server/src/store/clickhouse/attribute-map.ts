import type { Attributes, AttributeValue } from '../../ingest/otlp/otlp-model.ts';
import { toJson } from '../duckdb/json.ts';

/**
 * Largest attribute value, in UTF-8 bytes, copied into `attributes_map` and
 * `resource_attributes_map`. Longer values are left out of the map and stay in the JSON column.
 */
export const MAX_MAP_VALUE_BYTES = 8192;

/** Column type of both attribute maps. */
export const ATTRIBUTE_MAP_TYPE = 'Map(LowCardinality(String), String)';

function valueText(value: AttributeValue): string {
  return typeof value === 'string' ? value : toJson(value);
}

function fitsInMap(text: string): boolean {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so short strings skip the byte count.
  return (
    text.length * 3 <= MAX_MAP_VALUE_BYTES || Buffer.byteLength(text, 'utf8') <= MAX_MAP_VALUE_BYTES
  );
}

/**
 * Flattens attributes into the string map stored next to the JSON column: strings as they
 * are, numbers, booleans, null, arrays and objects as their JSON text. Values longer than
 * MAX_MAP_VALUE_BYTES are left out.
 */
export function toAttributeMap(attributes: Attributes): Record<string, string> {
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const text = valueText(value);
    if (fitsInMap(text)) entries.push([key, text]);
  }
  // fromEntries defines own properties, so a `__proto__` attribute stays an ordinary key.
  return Object.fromEntries(entries);
}
