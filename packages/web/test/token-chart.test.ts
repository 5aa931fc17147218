import { describe, expect, it } from 'vitest';
import { alignTimeseries } from '../src/lib/time-grid.ts';
import { buildLatencyChart } from '../src/lib/latency-chart.ts';
import { buildTokenChart } from '../src/lib/token-chart.ts';
import { point, STEP_MS, timeseries } from './series-fixtures.ts';

const tokens = (input: number, output: number) => ({
  input,
  output,
  cachedInput: 0,
  cacheWrite: 0,
  reasoning: 0,
});

const sparse = timeseries('model', 4, [
  {
    key: 'gpt-4o',
    points: [
      point(0, { requests: 1, tokens: tokens(100, 10), latencyMs: { p50: 5, p95: 9, p99: 12 } }),
      point(3, { requests: 2, tokens: tokens(300, 30), latencyMs: { p50: 6, p95: 8, p99: 10 } }),
    ],
  },
  { key: null, points: [point(1, { requests: 1, tokens: tokens(50, 0) })] },
]);

describe('alignTimeseries', () => {
  it('fills the grid between buckets', () => {
    const aligned = alignTimeseries(sparse);
    expect(aligned.timesMs).toHaveLength(4);
    expect(aligned.timesMs[1]! - aligned.timesMs[0]!).toBe(STEP_MS);
    expect(Object.keys(aligned.points[0]!)).toHaveLength(4);
  });
});

describe('buildTokenChart', () => {
  const chart = buildTokenChart(alignTimeseries(sparse), 'model');

  it('draws zero where a bucket is missing', () => {
    const gpt4oInput = chart.columns[3];
    expect(gpt4oInput).toEqual([6000, 0, 0, 18000]);
  });

  it('orders groups by label', () => {
    expect(chart.groups.map((group) => group.label)).toEqual(['(no model)', 'gpt-4o']);
  });

  it('totals tokens over the window', () => {
    expect(chart.totalInputTokens).toBe(450);
    expect(chart.totalOutputTokens).toBe(40);
  });
});

describe('buildLatencyChart', () => {
  const chart = buildLatencyChart(alignTimeseries(sparse));

  it('uses null where a model has no calls', () => {
    const gpt4oP95 = chart.columns[1 + 3 + 1];
    expect(gpt4oP95).toEqual([9, null, null, 8]);
  });

  it('draws three lines per model', () => {
    expect(chart.models).toEqual(['(no model)', 'gpt-4o']);
    expect(chart.series).toHaveLength(6);
    expect(chart.series[4]?.label).toBe('gpt-4o p95');
  });
});
