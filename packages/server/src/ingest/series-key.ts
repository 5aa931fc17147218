import type { Attributes, OtlpScope } from './otlp/otlp-model.ts';
import { setEntry } from '../lookup-table.ts';

/** Serializes attributes with sorted keys, so equal sets give equal series keys. */
export function toJsonKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  const sorted: Attributes = {};
  for (const key of keys) setEntry(sorted, key, attributes[key]!);
  return JSON.stringify(sorted);
}

/** Serializes the name and version of an instrumentation scope for `metricSeriesKey`. */
export function toScopeKey(scope: OtlpScope): string {
  return JSON.stringify([scope.name, scope.version]);
}

/** The parts of a metric stream's identity, each serialized once per request. */
export interface SeriesKeyParts {
  metricName: string;
  /** From `toScopeKey`. */
  scopeKey: string;
  /** From `toJsonKey` of the resource attributes. */
  resourceKey: string;
}

/**
 * Identifies one metric stream as the OTel data model does: by metric name, instrumentation
 * scope, resource and point attributes. The scope part is a JSON array, so it never equals
 * the JSON object of a resource in a key without a scope.
 */
export function metricSeriesKey(parts: SeriesKeyParts, attributesKey: string): string {
  return `${parts.metricName}\u0000${parts.scopeKey}\u0000${parts.resourceKey}\u0000${attributesKey}`;
}
