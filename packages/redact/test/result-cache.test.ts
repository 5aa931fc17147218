import { describe, expect, it } from 'vitest';
import { ResultCache } from '../src/result-cache.ts';

const result = (output: string) => ({ output, counts: {} });

describe('ResultCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new ResultCache({ maxEntries: 2, maxTotalChars: 1000, maxInputChars: 100 });
    cache.set('first', result('1'));
    cache.set('second', result('2'));
    expect(cache.get('first')?.output).toBe('1');
    cache.set('third', result('3'));
    expect(cache.get('second')).toBeUndefined();
    expect(cache.get('first')?.output).toBe('1');
    expect(cache.get('third')?.output).toBe('3');
  });

  it('keeps the total input length within its limit', () => {
    const cache = new ResultCache({ maxEntries: 10, maxTotalChars: 10, maxInputChars: 10 });
    cache.set('aaaaaa', result('a'));
    cache.set('bbbbbb', result('b'));
    expect(cache.size).toBe(1);
    expect(cache.get('aaaaaa')).toBeUndefined();
    expect(cache.get('bbbbbb')?.output).toBe('b');
  });

  it('never caches inputs longer than the limit', () => {
    const cache = new ResultCache({ maxEntries: 10, maxTotalChars: 1000, maxInputChars: 4 });
    cache.set('longer', result('x'));
    expect(cache.size).toBe(0);
  });
});
