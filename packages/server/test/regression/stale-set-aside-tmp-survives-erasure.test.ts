import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INGEST_LOG_DIR_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { failLoaderCommits } from '../helpers/fault-injection.ts';
import { erasureOf } from '../helpers/erasure-request.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

// Erasure and retention rewrite a set-aside batch through `<seq>.record.tmp`, which then
// takes the record's name. A crash between the two left the `.tmp` file, holding spans,
// beside the record. Nothing listed, erased, expired or deleted it afterwards, so spans of
// a user erased later stayed on disk.

describe('set-aside rewrite left by a crash', () => {
  let dataDir: string;
  let rejectedDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-set-aside-tmp-'));
    rejectedDir = join(dataDir, INGEST_LOG_DIR_NAME, 'rejected');
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is gone after restart and erasure', async () => {
    const first = await openDuckDbStore(dataDir);
    failLoaderCommits(first);
    await first.writeSpans(llmCalls(1, 2).map((span) => ({ ...span, userId: 'user-to-erase' })));
    await first.countSpans();
    await first.close();
    // The state a crash after writing the temporary file and before the rename leaves.
    const record = join(rejectedDir, '0000000000000001.record');
    copyFileSync(record, `${record}.tmp`);

    const store = await openDuckDbStore(dataDir);
    try {
      const entry = await store.eraseUser(erasureOf());

      expect(entry.counts.spans).toBe(2);
      expect(readdirSync(rejectedDir)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
