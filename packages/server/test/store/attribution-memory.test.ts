import { describe, expect, it } from 'vitest';
import { AttributionMemory } from '../../src/store/attribution-memory.ts';
import { makeSpan } from '../api/span-factory.ts';

const START_MS = Date.UTC(2026, 10, 20, 9);

function root(traceDigit: string, fields: { tenant: string | null; feature: string | null }) {
  return makeSpan({
    traceId: traceDigit.repeat(32),
    spanId: '1'.repeat(16),
    startMs: START_MS,
    durationMs: 100,
    ...fields,
  });
}

describe('attribution memory', () => {
  it('keeps null apart from values', () => {
    const memory = new AttributionMemory();
    const marked = root('a', { tenant: '\u0001', feature: 'search' });
    const empty = root('b', { tenant: null, feature: 'search' });
    memory.rememberRoot(marked);
    memory.rememberRoot(empty);
    expect(memory.rootOf(empty)?.tenant).toBeNull();
    expect(memory.rootOf(marked)?.tenant).toBe('\u0001');
  });

  it('keeps separators inside values', () => {
    const memory = new AttributionMemory();
    const joined = root('c', { tenant: 'acme\u0000search', feature: null });
    const split = root('d', { tenant: 'acme', feature: 'search' });
    memory.rememberRoot(joined);
    memory.rememberRoot(split);
    expect(memory.rootOf(split)).toMatchObject({ tenant: 'acme', feature: 'search' });
    expect(memory.rootOf(joined)).toMatchObject({ tenant: 'acme\u0000search', feature: null });
  });

  it('shares equal values', () => {
    const memory = new AttributionMemory();
    const first = root('e', { tenant: 'acme', feature: 'chat' });
    const second = root('f', { tenant: 'acme', feature: 'chat' });
    memory.rememberRoot(first);
    memory.rememberRoot(second);
    expect(memory.rootOf(first)).toBe(memory.rootOf(second));
    expect(memory.rootOf(root('9', { tenant: 'acme', feature: 'chat' }))).toBeUndefined();
  });
});
