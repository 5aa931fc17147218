import { describe, expect, it } from 'vitest';
import { ALL_ERRORS_LABEL, buildErrorChart } from '../src/lib/error-chart.ts';
import { computeErrorRates, ratePercent, windowErrorRatePercent } from '../src/lib/error-rate.ts';
import { alignTimeseries } from '../src/lib/time-grid.ts';
import { leastSquaresTrend } from '../src/lib/trend.ts';
import { point, timeseries } from './series-fixtures.ts';

const byModel = timeseries('model', 3, [
  { key: 'gpt-4o', points: [point(0, { requests: 30 }), point(1, { requests: 10 })] },
  { key: 'claude', points: [point(0, { requests: 10 }), point(2, { requests: 5 })] },
]);

const byErrorType = timeseries('errorType', 3, [
  {
    key: null,
    points: [point(0, { requests: 36 }), point(1, { requests: 10 }), point(2, { requests: 4 })],
  },
  {
    key: 'timeout',
    points: [point(0, { requests: 2, errors: 2 }), point(2, { requests: 1, errors: 1 })],
  },
  { key: 'rate_limit', points: [point(0, { requests: 2, errors: 2 })] },
]);

describe('computeErrorRates', () => {
  const requests = [40, 10, 5];
  const rates = computeErrorRates(alignTimeseries(byErrorType), requests);

  it('keeps only types with errors', () => {
    expect(rates.errorTypes).toEqual(['timeout', 'rate_limit']);
  });

  it('divides by all requests of the bucket', () => {
    expect(rates.ratesPercent[0]).toEqual([5, 0, 20]);
    expect(rates.ratesPercent[1]).toEqual([5, 0, 0]);
  });

  it('sums all types per bucket', () => {
    expect(rates.totalPercent).toEqual([10, 0, 20]);
  });

  it('counts errors per type over the window', () => {
    expect(rates.errorCounts).toEqual([3, 2]);
  });

  it('gives null for buckets without requests', () => {
    const empty = computeErrorRates(alignTimeseries(byErrorType), [40, 0, 5]);
    expect(empty.totalPercent[1]).toBeNull();
  });
});

describe('buildErrorChart', () => {
  it('takes requests from the model series', () => {
    const chart = buildErrorChart(alignTimeseries(byErrorType), alignTimeseries(byModel));
    expect(chart.requests).toBe(55);
    expect(chart.lines.map((line) => line.label)).toEqual(['rate_limit', 'timeout']);
    expect(chart.columns[2]).toEqual([5, 0, 20]);
  });

  it('clamps the trend at zero', () => {
    const falling = timeseries('errorType', 3, [
      {
        key: 'timeout',
        points: [point(0, { errors: 20 }), point(1, { errors: 1 }), point(2, { errors: 0 })],
      },
    ]);
    const chart = buildErrorChart(alignTimeseries(falling), alignTimeseries(byModel));
    const trend = chart.columns.at(-1) ?? [];
    expect(trend.every((value) => value !== null && value >= 0)).toBe(true);
    expect(trend[2]).toBe(0);
  });

  it('adds a trend line last', () => {
    const chart = buildErrorChart(alignTimeseries(byErrorType), alignTimeseries(byModel));
    expect(chart.series.at(-1)?.label).toBe('trend');
    expect(chart.series.at(-1)?.dash.length).toBeGreaterThan(0);
    expect(chart.columns).toHaveLength(1 + chart.lines.length + 1);
  });

  it('draws one zero line without errors', () => {
    const noErrors = timeseries('errorType', 3, [
      { key: null, points: [point(0, { requests: 40 })] },
    ]);
    const chart = buildErrorChart(alignTimeseries(noErrors), alignTimeseries(byModel));
    expect(chart.lines.map((line) => line.label)).toEqual([ALL_ERRORS_LABEL]);
    expect(chart.columns[1]).toEqual([0, 0, 0]);
  });
});

describe('window error rate', () => {
  it('sums errors and requests of all groups', () => {
    const group = { latencyMs: { p50: 1, p95: 2, p99: 3 }, costUsd: 0, unpricedRequests: 0 };
    const tokens = { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0 };
    const rate = windowErrorRatePercent([
      { ...group, tokens, key: 'a', requests: 150, errors: 3 },
      { ...group, tokens, key: 'b', requests: 50, errors: 1 },
    ]);
    expect(rate).toBe(2);
  });

  it('is null without requests', () => {
    expect(windowErrorRatePercent([])).toBeNull();
    expect(ratePercent(0, 0)).toBeNull();
  });
});

describe('leastSquaresTrend', () => {
  it('fits a straight line exactly', () => {
    expect(leastSquaresTrend([0, 1, 2, 3], [1, 3, 5, 7])).toEqual([1, 3, 5, 7]);
  });

  it('skips null points inside the span', () => {
    expect(leastSquaresTrend([0, 1, 2, 3], [0, null, 4, 6])).toEqual([0, 2, 4, 6]);
  });

  it('is null outside the data span', () => {
    expect(leastSquaresTrend([0, 1, 2, 3, 4], [null, 1, null, 3, null])).toEqual([
      null,
      1,
      2,
      3,
      null,
    ]);
  });

  it('is flat for noisy data around a mean', () => {
    expect(leastSquaresTrend([0, 1, 2, 3], [2, 4, 4, 2])).toEqual([3, 3, 3, 3]);
  });

  it('needs two points', () => {
    expect(leastSquaresTrend([0, 1, 2], [null, 5, null])).toEqual([null, null, null]);
  });
});
