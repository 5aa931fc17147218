import { describe, expect, it } from 'vitest';
import { maskContent } from '../../src/auth/content-mask.ts';
import { prometheusMetricName } from '../../src/exports/prometheus-names.ts';
import { toJsonKey } from '../../src/ingest/series-key.ts';
import { parseSeriesExpression } from '../../src/panels/series-expression.ts';
import { normalizeProvider } from '../../src/semconv/provider.ts';
import { blankSpanContent } from '../../src/store/duckdb/maintenance/content-expiry.ts';

// Lookup tables were object literals, so a name read from input that matched a member of
// Object.prototype found that member instead of nothing.

describe('lookups by names that Object.prototype defines', () => {
  it('rejects metric "constructor"', () => {
    expect(() => parseSeriesExpression('constructor by model over 5m')).toThrow(
      'unknown metric "constructor"',
    );
  });

  it('suffixes unit "toString"', () => {
    expect(prometheusMetricName('queue.depth', 'toString', 'gauge')).toBe('queue_depth_toString');
  });

  it('keeps provider "constructor"', () => {
    expect(normalizeProvider('constructor')).toBe('constructor');
  });

  it('rejects matcher label "__proto__"', () => {
    expect(() => parseSeriesExpression('requests{__proto__="x"} by model over 5m')).toThrow(
      'has no label "__proto__"',
    );
  });
});

// Objects rebuilt from input with assignments lost a key named "__proto__", which an
// assignment takes for the prototype.
describe('copies of attributes with a "__proto__" key', () => {
  const attributes = (): Record<string, unknown> =>
    JSON.parse('{"__proto__":"kept","gen_ai.prompt":"secret","b":1}') as Record<string, unknown>;

  it('keep it in series keys', () => {
    expect(toJsonKey(JSON.parse('{"b":1,"__proto__":"x"}'))).toBe('{"__proto__":"x","b":1}');
  });

  it('keep it when content is masked', () => {
    const masked = maskContent({ spans: [{ attributes: attributes(), events: [] }] }) as {
      spans: { attributes: Record<string, unknown> }[];
    };
    expect(Object.keys(masked.spans[0]!.attributes)).toEqual(['__proto__', 'gen_ai.prompt', 'b']);
    expect(masked.spans[0]!.attributes['gen_ai.prompt']).not.toBe('secret');
  });

  it('keep it when content expires', () => {
    const blanked = blankSpanContent(JSON.stringify(attributes()), '[]');
    expect(Object.keys(JSON.parse(blanked.attributes) as object)).toContain('__proto__');
  });
});
