import type { CanonicalSpan } from '../semconv/canonical-span.ts';

/** The attribution fields an ingest key can set for the spans sent with it. */
export const KEY_ATTRIBUTION_FIELDS = ['tenant', 'feature', 'environment'] as const;
export type KeyAttributionField = (typeof KEY_ATTRIBUTION_FIELDS)[number];

/** Values an ingest key gives spans that carry none of their own, such as the tenant it was issued to. */
export type KeyAttribution = Partial<Record<KeyAttributionField, string>>;

/** Maximum length of a key attribution value, in characters. */
export const MAX_KEY_ATTRIBUTION_LENGTH = 200;

/**
 * Fills the key's values into spans that still lack them after their own attributes,
 * baggage and their ancestors in the request were read, so a span's own value wins.
 */
export function applyKeyAttribution(
  spans: readonly CanonicalSpan[],
  attribution: KeyAttribution,
): void {
  const { tenant, feature, environment } = attribution;
  if (tenant === undefined && feature === undefined && environment === undefined) return;
  for (const span of spans) {
    if (tenant !== undefined && span.tenant === null) span.tenant = tenant;
    if (feature !== undefined && span.feature === null) span.feature = feature;
    if (environment !== undefined && span.environment === null) span.environment = environment;
  }
}

/**
 * Checks the attribution of a new key and returns the problem, or null. Values are
 * non-empty and at most 200 characters.
 */
export function keyAttributionProblem(attribution: KeyAttribution): string | null {
  for (const field of KEY_ATTRIBUTION_FIELDS) {
    const value = attribution[field];
    if (value === undefined) continue;
    if (value.trim() === '' || value.length > MAX_KEY_ATTRIBUTION_LENGTH)
      return `ingest key ${field} "${value.slice(0, 40)}" is invalid; give 1 to ${MAX_KEY_ATTRIBUTION_LENGTH} characters or leave it out`;
  }
  return null;
}
