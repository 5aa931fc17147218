import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FOGHORN_BIN } from '../helpers/spawn-foghorn.ts';

/**
 * Runs the launcher with DuckDB's jemalloc set to print its statistics at exit, which
 * include the options it started with.
 */
function allocatorOptions(userConf: string): { dirty: string; muzzy: string } {
  const run = spawnSync(process.execPath, [FOGHORN_BIN, '--help'], {
    encoding: 'utf8',
    env: { ...process.env, DUCKDB_JE_MALLOC_CONF: userConf },
    timeout: 60_000,
  });
  expect(run.status).toBe(0);
  const dirty = /opt\.dirty_decay_ms: (\d+)/.exec(run.stderr);
  const muzzy = /opt\.muzzy_decay_ms: (\d+)/.exec(run.stderr);
  expect(dirty, run.stderr.slice(0, 2000)).not.toBeNull();
  expect(muzzy).not.toBeNull();
  return { dirty: dirty![1]!, muzzy: muzzy![1]! };
}

describe('foghorn launcher', () => {
  it('shortens the DuckDB allocator decay', () => {
    // DuckDB's own defaults are 1000 ms for both.
    expect(allocatorOptions('stats_print:true')).toEqual({ dirty: '100', muzzy: '0' });
  });

  it("keeps the user's allocator options", () => {
    expect(allocatorOptions('stats_print:true,dirty_decay_ms:300')).toEqual({
      dirty: '300',
      muzzy: '0',
    });
  });
});
