import { describe, expect, it } from 'vitest';
import { parseUrlState, serializeUrlState, type UrlState } from '../src/state/url-state.ts';

describe('url state', () => {
  const cases: [string, UrlState][] = [
    [
      'defaults',
      { range: { kind: 'preset', preset: '1h' }, filters: {}, panel: null, refresh: 'off' },
    ],
    [
      'preset, filters, panel and refresh',
      {
        range: { kind: 'preset', preset: '7d' },
        filters: { model: 'gpt-4o', tenant: 'acme & co', feature: 'chat/summarize' },
        panel: 'cost-by-tenant',
        refresh: '30s',
      },
    ],
    [
      'absolute range',
      {
        range: {
          kind: 'absolute',
          fromMs: Date.UTC(2026, 0, 2, 3, 4, 5),
          toMs: Date.UTC(2026, 0, 2, 9, 0, 0),
        },
        filters: { service: 'checkout', environment: 'prod', provider: 'openai' },
        panel: 'tokens-by-feature',
        refresh: 'off',
      },
    ],
  ];

  for (const [name, state] of cases) {
    it(`round-trips ${name}`, () => {
      expect(parseUrlState(`?${serializeUrlState(state)}`)).toEqual(state);
    });
  }

  it('leaves defaults out of the query', () => {
    expect(serializeUrlState(parseUrlState(''))).toBe('');
  });

  it('writes preset, filters and panel', () => {
    const query = serializeUrlState({
      range: { kind: 'preset', preset: '6h' },
      filters: { model: 'gpt-4o' },
      panel: 'tokens-by-model',
      refresh: '1m',
    });
    expect(query).toBe('range=6h&model=gpt-4o&panel=tokens-by-model&refresh=1m');
  });

  it('writes absolute bounds as RFC 3339', () => {
    const query = serializeUrlState({
      range: { kind: 'absolute', fromMs: Date.UTC(2026, 4, 1), toMs: Date.UTC(2026, 4, 2) },
      filters: {},
      panel: null,
      refresh: 'off',
    });
    expect(new URLSearchParams(query).get('from')).toBe('2026-05-01T00:00:00.000Z');
    expect(new URLSearchParams(query).get('to')).toBe('2026-05-02T00:00:00.000Z');
  });

  it('reads from and to in Unix ms', () => {
    const state = parseUrlState('?from=1767225600000&to=1767229200000');
    expect(state.range).toEqual({ kind: 'absolute', fromMs: 1767225600000, toMs: 1767229200000 });
  });

  it('prefers from and to over range', () => {
    const state = parseUrlState('?range=15m&from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z');
    expect(state.range.kind).toBe('absolute');
  });

  it('falls back on unknown values', () => {
    const state = parseUrlState('?range=2y&panel=nope&refresh=1s&from=yesterday&to=now&model=');
    expect(state).toEqual({
      range: { kind: 'preset', preset: '1h' },
      filters: {},
      panel: null,
      refresh: 'off',
    });
  });

  it('ignores an inverted absolute range', () => {
    const state = parseUrlState('?from=2000&to=1000&range=24h');
    expect(state.range).toEqual({ kind: 'preset', preset: '24h' });
  });
});
