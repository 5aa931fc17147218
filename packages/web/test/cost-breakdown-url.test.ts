import { describe, expect, it } from 'vitest';
import { parseUrlState, serializeUrlState } from '../src/state/url-state.ts';

describe('cost breakdown in the URL', () => {
  it('defaults to tenant', () => {
    expect(parseUrlState('?range=6h').costBreakdown).toBe('tenant');
  });

  it('reads feature', () => {
    expect(parseUrlState('?breakdown=feature').costBreakdown).toBe('feature');
  });

  it('ignores an unknown value', () => {
    expect(parseUrlState('?breakdown=model').costBreakdown).toBe('tenant');
  });

  it('round-trips feature', () => {
    const state = parseUrlState('?range=6h&panel=cost-by-tenant&breakdown=feature');
    expect(serializeUrlState(state)).toBe('range=6h&panel=cost-by-tenant&breakdown=feature');
  });

  it('leaves the default out', () => {
    expect(serializeUrlState(parseUrlState('?breakdown=tenant'))).toBe('');
  });
});
