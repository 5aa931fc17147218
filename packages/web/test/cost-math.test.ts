import { describe, expect, it } from 'vitest';
import { buildCostChart } from '../src/lib/cost-chart.ts';
import { buildTenantCostTable, projectMonthlyCostUsd } from '../src/lib/cost-math.ts';
import { alignTimeseries, perHour } from '../src/lib/time-grid.ts';
import { point, timeseries } from './series-fixtures.ts';

describe('projectMonthlyCostUsd', () => {
  it('scales the hourly rate to 720 hours', () => {
    expect(projectMonthlyCostUsd(2, 3_600_000)).toBe(1440);
  });

  it('uses the window length', () => {
    expect(projectMonthlyCostUsd(3, 6 * 3_600_000)).toBe(360);
  });

  it('is null for an empty window', () => {
    expect(projectMonthlyCostUsd(5, 0)).toBeNull();
  });
});

describe('perHour', () => {
  it('scales a one-minute bucket', () => {
    expect(perHour(0.5, 60_000)).toBe(30);
  });

  it('scales a two-hour bucket', () => {
    expect(perHour(10, 7_200_000)).toBe(5);
  });
});

describe('buildCostChart', () => {
  it('sums models and fills missing buckets with zero', () => {
    const response = timeseries('model', 3, [
      {
        key: 'a',
        points: [point(0, { requests: 1, costUsd: 0.25 }), point(2, { requests: 2, costUsd: 1 })],
      },
      {
        key: 'b',
        points: [point(0, { requests: 3, costUsd: 0.5 }), point(1, { requests: 1, costUsd: null })],
      },
    ]);
    const chart = buildCostChart(alignTimeseries(response));
    expect(chart.columns[1]).toEqual([45, 0, 60]);
    expect(chart.requests).toBe(7);
  });
});

describe('buildTenantCostTable', () => {
  const table = buildTenantCostTable([
    { key: 'acme', requests: 10, costUsd: 0.1, unpricedRequests: 0 },
    { key: null, requests: 5, costUsd: 0.2, unpricedRequests: 1 },
    { key: 'globex', requests: 7, costUsd: 0.7, unpricedRequests: 0 },
    { key: 'initech', requests: 4, costUsd: null, unpricedRequests: 4 },
  ]);

  it('sorts by cost, highest first', () => {
    expect(table.rows.map((row) => row.tenant)).toEqual(['globex', null, 'acme', 'initech']);
  });

  it('totals add up to the rows', () => {
    expect(table.totalCostUsd).toBeCloseTo(1.0, 12);
    expect(table.totalRequests).toBe(26);
    expect(table.totalUnpricedRequests).toBe(5);
  });

  it('counts unpriced tenants as zero share', () => {
    expect(table.rows.at(-1)?.costUsd).toBeNull();
    expect(table.rows.at(-1)?.sharePercent).toBe(0);
  });

  it('shares add up to 100 percent', () => {
    const shares = table.rows.map((row) => row.sharePercent ?? 0);
    expect(shares[0]).toBeCloseTo(70, 9);
    expect(shares.reduce((total, share) => total + share, 0)).toBeCloseTo(100, 9);
  });

  it('has no share when nothing cost money', () => {
    const free = buildTenantCostTable([{ key: 'a', requests: 3, costUsd: 0, unpricedRequests: 0 }]);
    expect(free.rows[0]?.sharePercent).toBeNull();
  });
});
