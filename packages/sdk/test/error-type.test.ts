import { describe, expect, it } from 'vitest';
import { classifyError } from '../src/telemetry/error-type.ts';

describe('classifyError', () => {
  it('ignores provider type "toString"', () => {
    expect(classifyError({ error: { type: 'toString' } })).toBe('other');
  });

  it('reads provider type "rate_limit_error"', () => {
    expect(classifyError({ error: { type: 'rate_limit_error' } })).toBe('rate_limit');
  });
});
