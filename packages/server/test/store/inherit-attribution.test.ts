import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../../src/store/store.ts';
import { makeSpan } from '../api/span-factory.ts';

const START_MS = Date.UTC(2026, 10, 20, 9, 0, 0);
const TRACE_ID = 'c'.repeat(32);

const root = makeSpan({
  traceId: TRACE_ID,
  spanId: '1'.repeat(16),
  isLlmCall: false,
  startMs: START_MS,
  durationMs: 2_000,
  tenant: 'acme',
  feature: 'support',
});
const call = makeSpan({
  traceId: TRACE_ID,
  spanId: '2'.repeat(16),
  parentSpanId: '1'.repeat(16),
  startMs: START_MS + 100,
  durationMs: 900,
  model: 'gpt-4o',
  inputTokens: 40,
  outputTokens: 10,
  costUsd: 0.0002,
});

describe('attribution inherited from the root', () => {
  let dataDir: string;
  let store: Store;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-inherit-'));
    store = await openDuckDbStore(dataDir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tenantsOfCalls = async (): Promise<(string | null)[]> => {
    const query = {
      projectId: 'default',
      fromUnixMs: START_MS - 60_000,
      toUnixMs: START_MS + 60_000,
      filters: {},
    };
    const groups = await store.summary(query, 'tenant');
    return groups.map((group) => group.key);
  };

  it('fills a call that follows its root in one batch', async () => {
    await store.writeSpans([structuredClone(root), structuredClone(call)]);
    expect(await tenantsOfCalls()).toEqual(['acme']);
  });

  it('fills a call that precedes its root in one batch', async () => {
    await store.writeSpans([structuredClone(call), structuredClone(root)]);
    expect(await tenantsOfCalls()).toEqual(['acme']);
  });

  it('fills a call written before its root', async () => {
    await store.writeSpans([structuredClone(call)]);
    await store.writeSpans([structuredClone(root)]);
    expect(await tenantsOfCalls()).toEqual(['acme']);
  });
});
