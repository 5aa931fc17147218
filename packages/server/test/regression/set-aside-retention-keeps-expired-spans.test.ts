import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import type { RetentionCutoffs } from '../../src/retention/retention-types.ts';
import { failLoaderCommits } from '../helpers/fault-injection.ts';
import { CALLS_START_MS, llmCalls } from '../helpers/llm-calls.ts';

// Set-aside batches cannot have their content blanked in place, so their spans must go once
// the shorter of the span and content TTLs has passed, which is the later of the two cutoffs.
// Retention used the earlier cutoff, so set-aside spans kept their prompts and completions
// past the content TTL, and past the span TTL whenever the content TTL was the longer one.

const NANOS_PER_MS = 1_000_000n;

/** Returns cutoffs at the given milliseconds after CALLS_START_MS. */
function cutoffsAt(spansAfterMs: number, contentAfterMs: number): RetentionCutoffs {
  const at = (ms: number): bigint => BigInt(CALLS_START_MS + ms) * NANOS_PER_MS;
  return {
    spansBeforeUnixNano: at(spansAfterMs),
    contentBeforeUnixNano: at(contentAfterMs),
    metricsBeforeUnixNano: null,
    logsBeforeUnixNano: null,
    scoresBeforeUnixNano: null,
  };
}

describe('retention of set-aside spans', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-set-aside-retention-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    { ttl: 'content TTL shorter', spansAfterMs: 1, contentAfterMs: 3 },
    { ttl: 'span TTL shorter', spansAfterMs: 3, contentAfterMs: 1 },
  ])('applies the later cutoff ($ttl)', async ({ spansAfterMs, contentAfterMs }) => {
    const store = await openDuckDbStore(dataDir);
    let failing = true;
    failLoaderCommits(store, () => failing);
    try {
      // Spans start at CALLS_START_MS + 0, 1, 2 and 3 ms.
      await store.writeSpans(llmCalls(1, 4));
      await store.countSpans();
      failing = false;

      const counts = await store.applyRetention(cutoffsAt(spansAfterMs, contentAfterMs));

      expect(counts.spansDeleted).toBe(3);
      expect(store.setAsideSummary!().rejected.map((record) => record.spans)).toEqual([1]);
    } finally {
      await store.close();
    }
  });
});
