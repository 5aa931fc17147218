import { describe, expect, it } from 'vitest';
import { prometheusMetricName } from '../../src/exports/prometheus-names.ts';
import { parseSeriesExpression } from '../../src/panels/series-expression.ts';
import { normalizeProvider } from '../../src/semconv/provider.ts';

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
});
