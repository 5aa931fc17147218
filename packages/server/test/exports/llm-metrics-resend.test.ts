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

/** Observes the calls with indexes from `from` up to `to`, in requests of 512. */
function observeRange(metrics: LlmMetrics, from: number, to: number): void {
  for (let start = from; start < to; start += 512) {
    const end = Math.min(start + 512, to);
    metrics.observe(Array.from({ length: end - start }, (_, offset) => call(start + offset)));
  }
}

describe('LLM metrics of resent spans', () => {
  it('count recent resends once', () => {
    const metrics = new LlmMetrics();
    observeRange(metrics, 0, 100_001);
    expect(requestsTotal(metrics)).toBe(100_001);
    // Two generations of 100,000 ids are kept, so every id so far is remembered.
    metrics.observe([call(0), call(99_999), call(100_000)]);
    expect(requestsTotal(metrics)).toBe(100_001);

    observeRange(metrics, 100_001, 200_001);
    expect(requestsTotal(metrics)).toBe(200_001);
    // The 200,001st id started a third generation, which dropped the first 100,000 ids.
    metrics.observe([call(99_999), call(100_000), call(200_000)]);
    expect(requestsTotal(metrics)).toBe(200_002);
  });

  it('tells projects apart', () => {
    const metrics = new LlmMetrics();
    const other = { ...call(7), projectId: 'checkout' };
    metrics.observe([call(7), other, call(7), other]);
    expect(requestsTotal(metrics)).toBe(2);
  });
});
