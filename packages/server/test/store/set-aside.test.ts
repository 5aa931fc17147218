import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptionKey } from '../../src/crypto/encryption-key.ts';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { INGEST_LOG_DIR_NAME, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { CALLS_START_MS, llmCalls } from '../helpers/llm-calls.ts';
import { erasureOf } from '../helpers/erasure-request.ts';
import { failLoaderCommits } from '../helpers/fault-injection.ts';

const NANOS_PER_MS = 1_000_000n;

function withUser(spans: CanonicalSpan[], userId: string | null): CanonicalSpan[] {
  return spans.map((span) => ({ ...span, userId }));
}

/** Returns retention cutoffs for spans and content at the given milliseconds after CALLS_START_MS. */
function cutoffsAt(spansAfterMs: number, contentAfterMs: number | null) {
  const at = (ms: number): bigint => BigInt(CALLS_START_MS + ms) * NANOS_PER_MS;
  return {
    spansBeforeUnixNano: at(spansAfterMs),
    contentBeforeUnixNano: contentAfterMs === null ? null : at(contentAfterMs),
    metricsBeforeUnixNano: null,
    logsBeforeUnixNano: null,
    scoresBeforeUnixNano: null,
  };
}

describe('set-aside ingest batches', () => {
  let dataDir: string;
  let logDir: string;
  let rejectedDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-set-aside-'));
    logDir = join(dataDir, INGEST_LOG_DIR_NAME);
    rejectedDir = join(logDir, 'rejected');
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  function keptSpanIds(): string[] {
    return readdirSync(rejectedDir).flatMap((name) =>
      (deserialize(readFileSync(join(rejectedDir, name))) as CanonicalSpan[]).map(
        (span) => `${span.traceId.slice(-1)}/${span.spanId.slice(-1)}`,
      ),
    );
  }

  it('erasure removes the user’s traces', async () => {
    const deleted: string[] = [];
    const store = await openDuckDbStore(dataDir, {
      onSetAsideDeleted: (what) => deleted.push(what),
    });
    let failing = false;
    failLoaderCommits(store, () => failing);
    try {
      // Trace 1 is stored with the user's span, and its late child without a user id is set aside.
      await store.writeSpans(withUser(llmCalls(1, 1), 'user-to-erase'));
      await store.countSpans();
      failing = true;
      await store.writeSpans([
        ...withUser(llmCalls(1, 3).slice(1), null),
        ...withUser(llmCalls(2, 2), 'user-to-erase'),
        ...withUser(llmCalls(3, 2), 'someone-else'),
      ]);
      expect(await store.countSpans()).toBe(1);
      failing = false;
      expect(keptSpanIds()).toEqual(['1/2', '1/3', '2/1', '2/2', '3/1', '3/2']);
      const damaged = join(logDir, 'segment-0000000000000001.log.damaged');
      writeFileSync(damaged, 'user-to-erase in bytes that no longer parse');

      const entry = await store.eraseUser(erasureOf());

      expect(entry.counts.spans).toBe(5);
      expect(keptSpanIds()).toEqual(['3/1', '3/2']);
      expect(readdirSync(logDir)).not.toContain('segment-0000000000000001.log.damaged');
      expect(deleted).toEqual([
        `erasure deleted ${damaged}, the copy of a damaged ingest log segment, because its unreadable records may hold the erased user's spans`,
      ]);
      expect(await store.countSpans()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('erasure deletes a batch left empty', async () => {
    const store = await openDuckDbStore(dataDir);
    let failing = true;
    failLoaderCommits(store, () => failing);
    try {
      await store.writeSpans(withUser(llmCalls(4, 2), 'user-to-erase'));
      await store.countSpans();
      failing = false;
      expect(readdirSync(rejectedDir)).toEqual(['0000000000000001.record']);
      const entry = await store.eraseUser(erasureOf());
      expect(entry.counts.spans).toBe(2);
      expect(readdirSync(rejectedDir)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('retention drops expired set-aside spans', async () => {
    const deleted: string[] = [];
    const store = await openDuckDbStore(dataDir, {
      onSetAsideDeleted: (what) => deleted.push(what),
    });
    let failing = true;
    failLoaderCommits(store, () => failing);
    try {
      // Spans of trace 5 start 1 ms apart from CALLS_START_MS.
      await store.writeSpans(llmCalls(5, 4));
      await store.countSpans();
      failing = false;
      const oldCopy = join(logDir, 'segment-0000000000000001.log.damaged');
      const newCopy = join(logDir, 'segment-0000000000000002.log.damaged');
      writeFileSync(oldCopy, 'old');
      writeFileSync(newCopy, 'new');
      const copiedBefore = new Date(CALLS_START_MS - 60_000);
      utimesSync(oldCopy, copiedBefore, copiedBefore);

      const counts = await store.applyRetention(cutoffsAt(2, null));

      expect(counts.spansDeleted).toBe(2);
      expect(keptSpanIds()).toEqual(['5/3', '5/4']);
      expect(readdirSync(logDir).filter((name) => name.endsWith('.damaged'))).toEqual([
        'segment-0000000000000002.log.damaged',
      ]);
      expect(deleted).toEqual([
        `retention deleted ${oldCopy}, the copy of a damaged ingest log segment, because it was made before the retention cutoff`,
      ]);
    } finally {
      await store.close();
    }
  });

  it('content cutoff also expires them', async () => {
    const store = await openDuckDbStore(dataDir);
    let failing = true;
    failLoaderCommits(store, () => failing);
    try {
      await store.writeSpans(llmCalls(6, 3));
      await store.countSpans();
      failing = false;
      const counts = await store.applyRetention(cutoffsAt(1, 2));
      // The later cutoff, here the content one, applies: the spans that started before it go.
      expect(counts.spansDeleted).toBe(2);
      expect(keptSpanIds()).toEqual(['6/3']);
    } finally {
      await store.close();
    }
  });

  it('retry loads the batches again', async () => {
    const store = await openDuckDbStore(dataDir);
    let failing = true;
    failLoaderCommits(store, () => failing);
    try {
      await store.writeSpans(llmCalls(7, 3));
      await store.writeSpans(llmCalls(8, 2));
      await store.countSpans();
      expect(store.setAsideSummary!().rejected.map((record) => record.spans)).toEqual([3, 2]);
      failing = false;

      expect(await store.retrySetAside!()).toEqual({ batches: 2, spans: 5 });

      expect(await store.countSpans()).toBe(5);
      expect(readdirSync(rejectedDir)).toEqual([]);
      expect(store.setAsideSummary!()).toEqual({ rejected: [], damaged: [] });
    } finally {
      await store.close();
    }
    const reopened = await openDuckDbStore(dataDir);
    try {
      expect(await reopened.countSpans()).toBe(5);
    } finally {
      await reopened.close();
    }
  });

  it('a failing retry sets aside again', async () => {
    const store = await openDuckDbStore(dataDir);
    failLoaderCommits(store, () => true);
    try {
      await store.writeSpans(llmCalls(9, 2));
      await store.countSpans();
      expect(readdirSync(rejectedDir)).toEqual(['0000000000000001.record']);
      expect(await store.retrySetAside!()).toEqual({ batches: 1, spans: 2 });
      await store.countSpans();
      expect(readdirSync(rejectedDir)).toEqual(['0000000000000002.record']);
      expect(keptSpanIds()).toEqual(['9/1', '9/2']);
    } finally {
      await store.close();
    }
  });

  it('encrypted batches stay sealed', async () => {
    const encryption = {
      key: new EncryptionKey('set-aside test key of enough length', 'test key'),
      allowUnsafeCrypto: true,
    };
    const store = await openDuckDbStore(dataDir, { encryption });
    let failing = true;
    failLoaderCommits(store, () => failing);
    try {
      await store.writeSpans([
        ...withUser(llmCalls(10, 1), 'user-to-erase'),
        ...withUser(llmCalls(11, 2), 'someone-else'),
      ]);
      await store.countSpans();
      failing = false;
      const record = join(rejectedDir, '0000000000000001.record');
      expect(readFileSync(record).toString('latin1')).not.toContain('someone-else');

      expect((await store.eraseUser(erasureOf())).counts.spans).toBe(1);
      expect(readFileSync(record).toString('latin1')).not.toContain('someone-else');
      expect(await store.retrySetAside!()).toEqual({ batches: 1, spans: 2 });
      expect(await store.countSpans()).toBe(2);
    } finally {
      await store.close();
    }
  });
});
