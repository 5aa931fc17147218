import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckDbInstanceOf, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

const LIMIT_BYTES = 64 * 1024 * 1024;

describe('store over limit', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'scratch-v-store-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps lifted limit while idle', async () => {
    const errors: string[] = [];
    const store = await openDuckDbStore(dataDir, {
      memoryLimitBytes: LIMIT_BYTES,
      checkpointTuning: { restoreRetryMs: 100, checkIntervalMs: 100, thresholdBytes: 2 ** 40 },
      onLoadError: (error: unknown, what: string) => errors.push(`${what}: ${String(error)}`),
    } as never);
    const probe = await duckDbInstanceOf(store)!.connect();
    try {
      await probe.run("SET memory_limit = '1GB'");
      await probe.run(
        "CREATE TABLE big AS SELECT 'trace-' || md5(range::VARCHAR) AS id FROM range(1500000)",
      );
      await probe.run('CREATE INDEX big_id ON big (id)');
      await store.writeSpans(llmCalls(1, 3));
      expect(await store.countSpans()).toBe(3);
      // Idle retries of the configured limit run every 100 ms.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const reader = await probe.runAndReadAll("SELECT current_setting('memory_limit')");
      const limit = String(reader.getRows()[0]![0]);
      for (let trace = 2; trace <= 6; trace++) {
        await store.writeSpans(llmCalls(trace, 3));
        await store.countSpans().catch((e: unknown) => errors.push(`count: ${String(e)}`));
      }
      console.log({ limit, stall: store.loadStall!(), halt: (store as any).writer.haltReason(), errors: errors.slice(0, 5) });
      expect(limit).not.toBe('64.0 MiB');
    } finally {
      probe.closeSync();
      await store.close();
    }
  });
});
