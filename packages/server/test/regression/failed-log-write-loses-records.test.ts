import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IngestLog } from '../../src/store/duckdb/ingest-log.ts';

// A failed write to the ingest log, as on a full disk, closes the open segment so later
// records start a new one. Two things went wrong after that:
// - Appends written to the closed segment while an earlier sync ran were acknowledged by
//   the next sync round without any fdatasync, because that round synced only the open
//   segment and there was none. They were acknowledged but not durable.
// - When the failed write was the first record of its segment, the segment stayed in the
//   log's list with no records, and the next append reopened the same file name. The stale
//   entry looked fully released, so a later release deleted the file with the records
//   that the store had not committed yet.

const faults = vi.hoisted(() => ({ failWrites: 0, syncs: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  const writevSync: typeof actual.writevSync = (...args) => {
    if (faults.failWrites > 0) {
      faults.failWrites -= 1;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
      });
    }
    return actual.writevSync(...args);
  };
  const fdatasync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    faults.syncs += 1;
    actual.fdatasync(fd, callback);
  }) as typeof actual.fdatasync;
  return { ...actual, default: { ...actual, writevSync, fdatasync }, writevSync, fdatasync };
});

function payloads(log: IngestLog): [number, string][] {
  return [...log.records(0)].map((record) => [record.seq, record.payload.toString()]);
}

describe('ingest log after a failed write', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'foghorn-failed-log-write-'));
    faults.failWrites = 0;
    faults.syncs = 0;
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('syncs appends of the closed segment', async () => {
    const log = IngestLog.open(directory, null, 0);
    // The first append starts a sync, so the second waits for the next one.
    const first = log.append(Buffer.from('first'));
    const second = log.append(Buffer.from('second'));
    faults.failWrites = 1;
    await expect(log.append(Buffer.from('failed'))).rejects.toThrow(/could not be written/);

    expect(await first).toBe(1);
    expect(await second).toBe(2);
    // One fdatasync for each of the two sync rounds.
    expect(faults.syncs).toBe(2);
    await log.close();
  });

  it('release keeps a reopened segment', async () => {
    const log = IngestLog.open(directory, null, 0);
    faults.failWrites = 1;
    await expect(log.append(Buffer.from('failed'))).rejects.toThrow(/could not be written/);
    // The retry gets the same sequence number and so the same segment file name.
    expect(await log.append(Buffer.from('a'))).toBe(1);
    expect(await log.append(Buffer.from('b'))).toBe(2);
    // Another failed write closes that segment.
    faults.failWrites = 1;
    await expect(log.append(Buffer.from('failed again'))).rejects.toThrow(/could not be written/);

    // Nothing is committed yet, so nothing may be deleted.
    await log.release(0);
    expect(existsSync(join(directory, 'segment-0000000000000001.log'))).toBe(true);
    expect(payloads(log)).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    await log.close();
  });
});
