import type * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { llmCalls } from '../helpers/llm-calls.ts';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { spansAfterRestart, timedOutAfter } from '../helpers/stopped-loader.ts';

// After a failed load, the loader reads the records of the rolled-back transaction again
// from the ingest log. When that read failed, as on a disk error, the error escaped the
// loader and was swallowed. The records were neither loaded nor set aside, and every read
// waited in `flush()` for a commit that never came. Now the loader stops until a restart,
// as it does when DuckDB invalidates the file, and the records stay in the log.

const READ_TIMEOUT_MS = 10_000;

const faults = vi.hoisted(() => ({ failSegmentReads: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (faults.failSegmentReads > 0 && String(path).includes('segment-')) {
      faults.failSegmentReads -= 1;
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    return (actual.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFileSync;
  return { ...actual, default: { ...actual, readFileSync }, readFileSync };
});

describe('ingest log read failing during recovery', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-unreadable-log-'));
    faults.failSegmentReads = 0;
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('read still returns', async () => {
    const store = await openDuckDbStore(dataDir);
    let failCommit = true;
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (failCommit && sql === 'COMMIT') {
        failCommit = false;
        // The reload from the log that follows the rollback fails too.
        faults.failSegmentReads = 1;
        throw new Error('IO Error: could not write to the WAL');
      }
      return run();
    });

    await store.writeSpans(llmCalls(1, 3));
    const read = store.countSpans().then(String, (error: unknown) => `failed: ${String(error)}`);
    // If the read hangs, the store stays open, because close() waits for the same commit.
    expect(await Promise.race([read, timedOutAfter(READ_TIMEOUT_MS)])).toBe('0');
    await expect(store.writeSpans(llmCalls(2, 1))).rejects.toThrow(/EIO: i\/o error/);
    expect(store.writeBlocker?.()).toMatch(/EIO: i\/o error/);
    await store.close();

    expect(await spansAfterRestart(dataDir)).toBe(3);
  }, 30_000);
});
