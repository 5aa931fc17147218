import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestLog } from '../../src/store/duckdb/ingest-log.ts';

// The span writer starts a release of the ingest log after every commit without waiting
// for it, and erasure and shutdown release the log too, so two releases can overlap.
// Each release walked the segment list by index while it awaited the deletion of each
// file. When the other release removed entries meanwhile, the index pointed past the end
// of the list, and the release failed with a TypeError. Erasure reports that failure.

describe('overlapping ingest log releases', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'foghorn-log-release-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('both delete the released segments', async () => {
    const log = IngestLog.open(directory, null, 0);
    for (const text of ['a', 'b', 'c', 'd']) {
      await log.append(Buffer.from(text));
      log.rotate();
    }

    const results = await Promise.allSettled([log.release(4), log.release(4)]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(readdirSync(directory).filter((name) => name.endsWith('.log'))).toEqual([]);
    expect([...log.records(0)]).toEqual([]);
    await log.close();
  });
});
