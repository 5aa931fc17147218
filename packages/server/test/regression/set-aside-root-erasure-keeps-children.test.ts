import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { failLoaderCommits } from '../helpers/fault-injection.ts';
import { erasureOf } from '../helpers/erasure-request.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

// Erasure deletes every span of a trace that has a span of the user. It found those traces
// in the set-aside batches but deleted only their set-aside spans. When the span with the
// user id was set aside and the trace's other spans were stored, the stored spans survived.

describe('erasure of a trace whose user span was set aside', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-set-aside-root-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deletes the stored spans too', async () => {
    const store = await openDuckDbStore(dataDir);
    let failing = false;
    failLoaderCommits(store, () => failing);
    try {
      // The children end first and are stored; the root, the only span with the user id, is set aside.
      const [root, ...children] = llmCalls(1, 3);
      await store.writeSpans(children.map((span) => ({ ...span, userId: null })));
      await store.writeSpans(llmCalls(2, 1).map((span) => ({ ...span, userId: 'someone-else' })));
      expect(await store.countSpans()).toBe(3);
      failing = true;
      await store.writeSpans([{ ...root!, userId: 'user-to-erase' }]);
      await store.countSpans();
      failing = false;
      expect(store.setAsideSummary!().rejected.map((record) => record.spans)).toEqual([1]);

      const entry = await store.eraseUser(erasureOf());

      expect(store.setAsideSummary!().rejected).toEqual([]);
      expect(await store.getTrace('default', llmCalls(1, 1)[0]!.traceId)).toEqual([]);
      expect(await store.countSpans()).toBe(1);
      expect(entry.counts.spans).toBe(3);
    } finally {
      await store.close();
    }
  });
});
