import { describe, expect, it } from 'vitest';
import { parseMemoryLimit } from '../../src/config/memory-limit.ts';

describe('memory limit option', () => {
  it('reads decimal and binary units', () => {
    expect(parseMemoryLimit('512MiB', '--memory-limit')).toBe(512 * 2 ** 20);
    expect(parseMemoryLimit('2GB', '--memory-limit')).toBe(2_000_000_000);
    expect(parseMemoryLimit(' 1.5 gib ', '--memory-limit')).toBe(1.5 * 2 ** 30);
    expect(parseMemoryLimit('67108864B', '--memory-limit')).toBe(64 * 2 ** 20);
  });

  it('names the value and the units', () => {
    expect(() => parseMemoryLimit('lots', '--memory-limit')).toThrow(
      '--memory-limit "lots" is not a memory size; give a number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB or TiB), such as 512MiB or 2GB',
    );
    expect(() => parseMemoryLimit('512', '--memory-limit')).toThrow('"512" is not a memory size');
    expect(() => parseMemoryLimit('512 MiBs', '--memory-limit')).toThrow('is not a memory size');
  });

  it('rejects limits below 64 MiB', () => {
    expect(() => parseMemoryLimit('67108863B', '--memory-limit')).toThrow(
      '--memory-limit "67108863B" is below 64 MiB, the smallest limit Foghorn is measured with; give at least 64MiB',
    );
  });
});
