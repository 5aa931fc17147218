import { describe, expect, it } from 'vitest';
import { deleteOldest } from '../../src/evict-oldest.ts';
import { LlmMetrics } from '../../src/exports/llm-metrics.ts';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { makeSpan } from '../api/span-factory.ts';

const START_MS = Date.UTC(2026, 10, 20, 9);

function call(index: number): CanonicalSpan {
  return makeSpan({
    traceId: index.toString(16).padStart(32, '0'),
    spanId: '1'.padStart(16, '0'),
    startMs: START_MS + index,
    durationMs: 100,
    model: 'gpt-4o',
  });
}

/** Returns the total of the request counter in the exposition text. */
function requestsTotal(metrics: LlmMetrics): number {
  let total = 0;
  for (const line of metrics.render().split('\n')) {
    if (line.startsWith('foghorn_llm_requests_total{'))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('deleteOldest', () => {
  it('drops a set’s oldest members', () => {
    const set = new Set([1, 2, 3, 4, 5]);
    deleteOldest(set, 2);
    expect([...set]).toEqual([3, 4, 5]);
  });

  it('follows a map’s refreshed order', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    map.delete('a');
    map.set('a', 1);
    deleteOldest(map, 2);
    expect([...map.keys()]).toEqual(['a']);
  });

  it('empties a smaller collection', () => {
    const set = new Set(['x']);
    deleteOldest(set, 3);
    expect(set.size).toBe(0);
  });
});

describe('LLM metrics of resent spans', () => {
  it('count recent resends once', () => {
    const metrics = new LlmMetrics();
    const spans = Array.from({ length: 100_001 }, (_, index) => call(index));
    for (let start = 0; start < spans.length; start += 512)
      metrics.observe(spans.slice(start, start + 512));
    expect(requestsTotal(metrics)).toBe(100_001);

    // Passing 100,000 ids forgot the oldest 10,000 at once. The ids after them are kept.
    metrics.observe([call(9_999), call(10_000), call(100_000)]);
    expect(requestsTotal(metrics)).toBe(100_002);
  });
});
