import { describe, expect, it } from 'vitest';
import {
  DEFAULT_URL_STATE,
  parseUrlState,
  serializeUrlState,
  type UrlState,
} from '../src/state/url-state.ts';

/** Builds a state from the defaults and the fields a case sets. */
function stateWith(fields: Partial<UrlState>): UrlState {
  return { ...DEFAULT_URL_STATE, ...fields };
}

describe('url state', () => {
  const cases: [string, UrlState][] = [
    [
      'defaults',
      stateWith({
        range: { kind: 'preset', preset: '1h' },
        filters: {},
        panel: null,
        refresh: 'off',
      }),
    ],
    [
      'preset, filters, panel and refresh',
      stateWith({
        range: { kind: 'preset', preset: '7d' },
        filters: { model: 'gpt-4o', tenant: 'acme & co', feature: 'chat/summarize' },
        panel: 'cost-by-tenant',
        refresh: '30s',
      }),
    ],
    [
      'absolute range',
      stateWith({
        range: {
          kind: 'absolute',
          fromMs: Date.UTC(2026, 0, 2, 3, 4, 5),
          toMs: Date.UTC(2026, 0, 2, 9, 0, 0),
        },
        filters: { service: 'checkout', environment: 'prod', provider: 'openai' },
        panel: 'tokens-by-feature',
        refresh: 'off',
      }),
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
    const query = serializeUrlState(
      stateWith({
        range: { kind: 'preset', preset: '6h' },
        filters: { model: 'gpt-4o' },
        panel: 'tokens-by-model',
        refresh: '1m',
      }),
    );
    expect(query).toBe('range=6h&model=gpt-4o&panel=tokens-by-model&refresh=1m');
  });

  it('writes absolute bounds as RFC 3339', () => {
    const query = serializeUrlState(
      stateWith({
        range: { kind: 'absolute', fromMs: Date.UTC(2026, 4, 1), toMs: Date.UTC(2026, 4, 2) },
      }),
    );
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
    expect(state).toEqual(DEFAULT_URL_STATE);
  });

  it('round-trips the trace explorer', () => {
    const state = stateWith({
      view: 'traces',
      filters: { tenant: 'acme' },
      trace: '0af7651916cd43dd8448eb211c80319c',
      traceSearch: { status: 'error', minDurationMs: 2500, text: 'refund <b>' },
    });
    expect(parseUrlState(`?${serializeUrlState(state)}`)).toEqual(state);
  });

  it('round-trips a rule and a top panel', () => {
    const state = stateWith({ view: 'rules', rule: 'latency-p95-high', panel: 'latency' });
    expect(parseUrlState(`?${serializeUrlState(state)}`)).toEqual(state);
  });

  it('reads an alarm notification link', () => {
    const state = parseUrlState(
      '?from=1767225600000&to=1767229200000&panel=errors&model=gpt-4o&tenant=acme',
    );
    expect(state.view).toBe('dashboard');
    expect(state.panel).toBe('errors');
    expect(state.filters).toEqual({ model: 'gpt-4o', tenant: 'acme' });
    expect(state.range).toEqual({ kind: 'absolute', fromMs: 1767225600000, toMs: 1767229200000 });
  });

  it('reads a rule from the hash', () => {
    const state = parseUrlState('?range=6h', '#/alerts/rules/errors-slo-fast-burn');
    expect(state.view).toBe('rules');
    expect(state.rule).toBe('errors-slo-fast-burn');
    expect(state.range).toEqual({ kind: 'preset', preset: '6h' });
  });

  it('opens the explorer for a trace link', () => {
    const state = parseUrlState('?trace=0AF7651916CD43DD8448EB211C80319C');
    expect(state.view).toBe('traces');
    expect(state.trace).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('drops malformed rule, trace and search values', () => {
    const state = parseUrlState('?view=rules&rule=../x&trace=xyz&status=bad&minDurationMs=-4');
    expect(state.rule).toBeNull();
    expect(state.trace).toBeNull();
    expect(state.traceSearch).toEqual({ status: null, minDurationMs: null, text: '' });
  });

  it('ignores an inverted absolute range', () => {
    const state = parseUrlState('?from=2000&to=1000&range=24h');
    expect(state.range).toEqual({ kind: 'preset', preset: '24h' });
  });
});
