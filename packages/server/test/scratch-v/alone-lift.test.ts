import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckDbInstanceOf, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { llmCalls } from '../helpers/llm-calls.ts';

const LIMIT_BYTES = 64 * 1024 * 1024;

describe('reload alone under a limit', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'scratch-v-alone-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('commits each record lifted', async () => {
    const store = await openDuckDbStore(dataDir, { memoryLimitBytes: LIMIT_BYTES });
    const probe = await duckDbInstanceOf(store)!.connect();
    const limits: string[] = [];
    let failures = 0;
    interceptDuckDbRun(store, 'writer', async (sql, run) => {
      if (sql === 'COMMIT') {
        const reader = await probe.runAndReadAll("SELECT current_setting('memory_limit')");
        limits.push(String(reader.getRows()[0]![0]));
        if (failures === 0) {
          failures += 1;
          throw new Error('Conversion Error: a value this column cannot hold');
        }
      }
      return run();
    });
    try {
      await store.writeSpans(llmCalls(1, 4));
      expect(await store.countSpans()).toBe(4);
      console.log(limits);
      expect(limits).toEqual(['192.0 MiB', '192.0 MiB']);
    } finally {
      probe.closeSync();
      await store.close();
    }
  });
});
