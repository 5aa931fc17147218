import type { Attributes } from '@opentelemetry/api';

/** The attribute objects of one metric series, built once and reused by every call in it. */
export interface SeriesAttributes {
  attributes: Attributes;
  /** `attributes` plus `gen_ai.token.type`, by token type. */
  byTokenType: Map<string, Attributes>;
}

/** Series kept; beyond it the cache starts over, which costs only rebuilding objects. */
const MAX_CACHED_SERIES = 10_000;

/**
 * Caches metric attribute objects by a key of their values, so recording a
 * call allocates no attribute objects once its series was seen.
 */
export class SeriesAttributeCache {
  private readonly series = new Map<string, SeriesAttributes>();

  get(key: string): SeriesAttributes | undefined {
    return this.series.get(key);
  }

  set(key: string, attributes: Attributes): SeriesAttributes {
    if (this.series.size >= MAX_CACHED_SERIES) this.series.clear();
    const entry = { attributes, byTokenType: new Map<string, Attributes>() };
    this.series.set(key, entry);
    return entry;
  }
}

export function withTokenType(series: SeriesAttributes, tokenType: string): Attributes {
  let typed = series.byTokenType.get(tokenType);
  if (typed === undefined) {
    typed = { ...series.attributes, 'gen_ai.token.type': tokenType };
    series.byTokenType.set(tokenType, typed);
  }
  return typed;
}
