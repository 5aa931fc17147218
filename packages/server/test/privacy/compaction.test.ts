import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DAY_MS, emitTraces } from './signal-emitters.ts';
import { startOnDataDir } from './start-server.ts';

const TRACE_COUNT = 1500;

function fileBytes(dataDir: string): number {
  return statSync(join(dataDir, 'foghorn.duckdb')).size;
}

describe('compaction after retention', () => {
  let dataDir: string;
  const sizes = { loaded: 0, afterRetention: 0, afterCompaction: 0 };
  let spansDeleted = 0;
  let compactOutput = '';
  let exitCode = -1;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-compact-'));
    const nowMs = Date.now();
    const loading = await startOnDataDir(dataDir);
    // Random hex content compresses poorly, so the file size follows the amount of content.
    const specs = Array.from({ length: TRACE_COUNT }, (_unused, index) => ({
      userId: `user-${index % 50}`,
      startMs: nowMs - 40 * DAY_MS + index * 1000,
      content: randomBytes(1500).toString('hex'),
    }));
    await emitTraces(loading.otlpUrl, specs);
    await emitTraces(loading.otlpUrl, [
      { userId: 'user-kept', startMs: nowMs - 60_000, content: 'kept conversation' },
    ]);
    // With no TTL configured a run changes nothing and only checkpoints, so the file contains all data.
    await loading.retention.runOnce();
    await loading.close();
    sizes.loaded = fileBytes(dataDir);

    writeFileSync(join(dataDir, 'retention.yaml'), 'ttl:\n  spans: 30d\n');
    const expiring = await startOnDataDir(dataDir);
    spansDeleted = (await expiring.retention.runOnce()).spansDeleted;
    await expiring.close();
    sizes.afterRetention = fileBytes(dataDir);

    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      compactOutput += String(chunk);
      return true;
    });
    try {
      exitCode = await main(['compact', '--data-dir', dataDir]);
    } finally {
      write.mockRestore();
    }
    sizes.afterCompaction = fileBytes(dataDir);
    console.log(`DuckDB file bytes: ${JSON.stringify(sizes)}`);
  }, 120_000);
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deletes the expired spans', () => {
    expect(spansDeleted).toBe(TRACE_COUNT * 2);
  });

  it('does not shrink the file by DELETE and CHECKPOINT', () => {
    expect(sizes.afterRetention).toBeGreaterThanOrEqual(sizes.loaded * 0.9);
  });

  it('shrinks the file by compaction', () => {
    expect(exitCode).toBe(0);
    expect(compactOutput).toMatch(
      /^compacted .*foghorn\.duckdb: \d+ bytes before, \d+ bytes after, \d+ bytes freed\n$/,
    );
    expect(compactOutput).toContain(`, ${sizes.afterCompaction} bytes after`);
    expect(sizes.afterCompaction).toBeLessThan(sizes.afterRetention / 2);
  });

  it('keeps the live data after compaction', async () => {
    const server = await startOnDataDir(dataDir);
    try {
      expect(await server.store.countSpans()).toBe(2);
    } finally {
      await server.close();
    }
  });
});
