import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

// After a restart the deduplicator remembered only the spans that start within an hour of
// the newest stored span, and looked up only the spans it remembered. An exporter that
// resent older spans after the restart, such as a long agent span or a queued batch, had
// them stored a second time.

const HOUR_NS = 3_600_000_000_000n;

describe('spans resent after a restart that start before the startup window', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-old-resend-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are stored once', async () => {
    const first = await openDuckDbStore(dataDir);
    await first.writeSpans(llmCalls(1, 3));
    await first.writeSpans(
      llmCalls(2, 1).map((span) => ({
        ...span,
        startTimeUnixNano: span.startTimeUnixNano + 2n * HOUR_NS,
        endTimeUnixNano: span.endTimeUnixNano + 2n * HOUR_NS,
      })),
    );
    expect(await first.countSpans()).toBe(4);
    await first.close();

    const second = await openDuckDbStore(dataDir);
    try {
      await second.writeSpans(llmCalls(1, 3));
      await second.writeSpans(llmCalls(3, 2));
      expect(await second.countSpans()).toBe(6);
    } finally {
      await second.close();
    }
  });
});
