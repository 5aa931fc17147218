import { describe, expect, it } from 'vitest';
import type { ScoreAggregate, SummaryGroup } from '../src/api/types.ts';
import { buildModelVersionTable } from '../src/lib/model-version-rows.ts';
import { registeredModelLabel } from '../src/lib/registered-model-label.ts';
import { parseUrlState, serializeUrlState } from '../src/state/url-state.ts';

function group(
  key: string | null,
  requests: number,
  registry: SummaryGroup['registry'],
): SummaryGroup {
  return {
    key,
    requests,
    errors: 0,
    latencyMs: { p50: requests * 10, p95: requests * 20, p99: null },
    tokens: { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0 },
    costUsd: requests / 100,
    unpricedRequests: 0,
    registry,
  };
}

function score(key: string | null, name: string, mean: number | null): ScoreAggregate {
  return { key, name, count: 1, mean, stddev: null, categories: {} };
}

describe('registered model label', () => {
  it('adds stage and aliases', () => {
    const label = registeredModelLabel('iris/3', { stage: 'Production', aliases: ['champion'] });
    expect(label).toBe('iris/3 (Production, @champion)');
  });

  it('leaves out the None stage', () => {
    expect(registeredModelLabel('iris/4', { stage: 'None', aliases: [] })).toBe('iris/4');
    expect(registeredModelLabel('iris/4', { stage: 'None', aliases: ['next'] })).toBe(
      'iris/4 (@next)',
    );
  });

  it('keeps unknown versions bare', () => {
    expect(registeredModelLabel('iris/9', null)).toBe('iris/9');
    expect(registeredModelLabel(null, null)).toBe('(no registered model)');
  });
});

describe('model version table', () => {
  it('joins scores and orders versions numerically', () => {
    const table = buildModelVersionTable(
      [
        group(null, 1, null),
        group('iris/10', 4, { stage: 'Production', aliases: [] }),
        group('iris/2', 3, { stage: 'Staging', aliases: [] }),
      ],
      [
        score('iris/2', 'accuracy', 0.7),
        score('iris/10', 'accuracy', 0.9),
        score('iris/10', 'tone', null),
      ],
    );
    expect(table.rows.map((row) => row.label)).toEqual([
      'iris/2 (Staging)',
      'iris/10 (Production)',
      '(no registered model)',
    ]);
    expect(table.scoreNames).toEqual(['accuracy']);
    expect(table.rows[1]!.scoreMeans).toEqual({ accuracy: 0.9 });
    expect(table.rows[2]!.scoreMeans).toEqual({});
    expect(table.rows[0]!.p50Ms).toBe(30);
  });
});

describe('version filter in the address bar', () => {
  it('uses modelVersion', () => {
    const state = parseUrlState('?modelVersion=iris%2F2&registeredModel=iris');
    expect(state.filters.registeredModel).toBe('iris/2');
    expect(serializeUrlState(state)).toContain('modelVersion=iris%2F2');
  });
});
