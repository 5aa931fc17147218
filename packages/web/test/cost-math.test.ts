import { describe, expect, it } from 'vitest';
import { buildCostChart } from '../src/lib/cost-chart.ts';
import type { CostProjectionGroup, CostProjectionResponse } from '../src/api/types.ts';
import { budgetStatus } from '../src/lib/budget-math.ts';
import { buildCostTable, runRateMonthlyCostUsd } from '../src/lib/cost-math.ts';
import { alignTimeseries, perHour } from '../src/lib/time-grid.ts';
import { point, timeseries } from './series-fixtures.ts';

describe('runRateMonthlyCostUsd', () => {
  it('scales the hourly rate to 720 hours', () => {
    expect(runRateMonthlyCostUsd(2)).toBe(1440);
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

describe('buildCostTable', () => {
  const table = buildCostTable(
    [
      { key: 'acme', requests: 10, costUsd: 0.1, unpricedRequests: 0 },
      { key: null, requests: 5, costUsd: 0.2, unpricedRequests: 1 },
      { key: 'globex', requests: 7, costUsd: 0.7, unpricedRequests: 0 },
      { key: 'initech', requests: 4, costUsd: null, unpricedRequests: 4 },
    ],
    null,
  );

  it('sorts by cost, highest first', () => {
    expect(table.rows.map((row) => row.key)).toEqual(['globex', null, 'acme', 'initech']);
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
    const free = buildCostTable([{ key: 'a', requests: 3, costUsd: 0, unpricedRequests: 0 }], null);
    expect(free.rows[0]?.sharePercent).toBeNull();
  });
});

function projectionGroup(
  key: string | null,
  projectedMonthlyCostUsd: number,
  budgetUsd: number | null,
): CostProjectionGroup {
  return {
    key,
    monthToDateCostUsd: projectedMonthlyCostUsd / 2,
    trailingCostUsd: 0,
    monthToDateRequests: 1,
    trailingRequests: 1,
    hourlyCostUsd: 0,
    projectedMonthlyCostUsd,
    unpricedRequests: 0,
    budgetUsd,
    projectedBudgetRatio: budgetUsd === null ? null : projectedMonthlyCostUsd / budgetUsd,
  };
}

function projectionResponse(groups: CostProjectionGroup[]): CostProjectionResponse {
  return {
    asOf: '2026-11-17T00:00:00.000Z',
    monthStart: '2026-11-01T00:00:00.000Z',
    monthEnd: '2026-12-01T00:00:00.000Z',
    trailingHours: 168,
    remainingHours: 336,
    method: 'test',
    total: projectionGroup(
      null,
      groups.reduce((sum, group) => sum + group.projectedMonthlyCostUsd, 0),
      null,
    ),
    groups,
  };
}

describe('buildCostTable with a projection', () => {
  const table = buildCostTable(
    [
      { key: 'acme', requests: 2, costUsd: 3, unpricedRequests: 0 },
      { key: 'globex', requests: 1, costUsd: 1, unpricedRequests: 0 },
    ],
    projectionResponse([
      projectionGroup('acme', 9, 5),
      projectionGroup('globex', 3, null),
      projectionGroup('initech', 12, 10),
    ]),
  );

  it('joins projections by key', () => {
    expect(table.rows.map((row) => [row.key, row.projection?.projectedMonthlyCostUsd])).toEqual([
      ['acme', 9],
      ['globex', 3],
      ['initech', 12],
    ]);
  });

  it('adds groups seen only this month', () => {
    const initech = table.rows.find((row) => row.key === 'initech');
    expect(initech?.requests).toBe(0);
    expect(initech?.costUsd).toBe(0);
    expect(table.totalCostUsd).toBe(4);
  });

  it('totals the projection from the endpoint', () => {
    expect(table.totalProjection?.projectedMonthlyCostUsd).toBe(24);
  });
});

describe('budgetStatus', () => {
  it('uses the projected budget ratio', () => {
    const status = budgetStatus(projectionGroup('acme', 9, 5));
    expect(status.projectedMonthlyUsd).toBe(9);
    expect(status.budgetMonthlyUsd).toBe(5);
    expect(status.budgetUsedPercent).toBeCloseTo(180, 9);
    expect(status.overBudget).toBe(true);
  });

  it('stays under a larger budget', () => {
    const status = budgetStatus(projectionGroup('acme', 9, 10));
    expect(status.budgetUsedPercent).toBeCloseTo(90, 9);
    expect(status.overBudget).toBe(false);
  });

  it('has no share without a budget', () => {
    const status = budgetStatus(projectionGroup('globex', 3, null));
    expect(status.budgetUsedPercent).toBeNull();
    expect(status.overBudget).toBe(false);
  });

  it('is empty without a projection', () => {
    expect(budgetStatus(null).projectedMonthlyUsd).toBeNull();
  });
});
