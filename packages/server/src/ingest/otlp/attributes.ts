import { setEntry } from '../../lookup-table.ts';
import type { AttributeValue, Attributes } from './otlp-model.ts';

/** Deepest nesting of `arrayValue` and `kvlistValue` inside one AnyValue that the decoders accept. */
export const MAX_ANY_VALUE_DEPTH = 64;

/**
 * Stores one attribute; a repeated key keeps its last value. The key
 * `__proto__` becomes an own property instead of replacing the prototype.
 */
export function setAttribute(attributes: Attributes, key: string, value: AttributeValue): void {
  setEntry(attributes, key, value);
}
