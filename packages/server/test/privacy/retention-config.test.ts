import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRetentionSettings } from '../../src/retention/retention-config.ts';
import { startOnDataDir } from './start-server.ts';

describe('retention settings', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-retention-config-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps everything without a file', async () => {
    const settings = await loadRetentionSettings(dataDir);
    expect(settings.ttlMs).toEqual({
      spans: null,
      content: null,
      metrics: null,
      logs: null,
      scores: null,
    });
    expect(settings.intervalMs).toBe(3_600_000);
    expect(settings.path).toBeNull();
  });

  it('reads durations from the file', async () => {
    writeFileSync(
      join(dataDir, 'retention.yaml'),
      'ttl:\n  spans: 30d\n  content: 12h\nintervalMs: 60000\n',
    );
    const settings = await loadRetentionSettings(dataDir);
    expect(settings.ttlMs.spans).toBe(30 * 86_400_000);
    expect(settings.ttlMs.content).toBe(12 * 3_600_000);
    expect(settings.ttlMs.logs).toBeNull();
    expect(settings.intervalMs).toBe(60_000);
  });

  it('lets overrides win over the file', async () => {
    writeFileSync(join(dataDir, 'retention.yaml'), 'ttl:\n  spans: 30d\n');
    const settings = await loadRetentionSettings(dataDir, {
      ttl: { spans: '7d' },
      intervalMs: 5_000,
    });
    expect(settings.ttlMs.spans).toBe(7 * 86_400_000);
    expect(settings.intervalMs).toBe(5_000);
  });

  it('names the field of an invalid duration', async () => {
    const path = join(dataDir, 'retention.yaml');
    writeFileSync(path, 'ttl:\n  spans: thirty days\n');
    await expect(loadRetentionSettings(dataDir)).rejects.toThrow(
      `${path}: field ttl.spans is invalid: use a whole number and a unit: ms, s, m, h, d or w, such as 30d`,
    );
  });

  it('rejects an unknown signal', async () => {
    writeFileSync(join(dataDir, 'retention.yaml'), 'ttl:\n  traces: 30d\n');
    await expect(loadRetentionSettings(dataDir)).rejects.toThrow(
      /field ttl is invalid: Unrecognized key/,
    );
  });

  it('rejects an invalid override', async () => {
    await expect(loadRetentionSettings(dataDir, { ttl: { logs: '5 minutes' } })).rejects.toThrow(
      'retention logs is "5 minutes"; use a whole number and a unit (ms, s, m, h, d, w), such as 30d',
    );
  });
});

describe('retention job', () => {
  it('joins a run already going', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-retention-job-'));
    writeFileSync(join(dataDir, 'retention.yaml'), 'ttl:\n  spans: 30d\n');
    const server = await startOnDataDir(dataDir);
    try {
      const first = server.retention.runOnce();
      const second = server.retention.runOnce();
      expect(second).toBe(first);
      expect((await first).spansDeleted).toBe(0);
      await server.retention.stop();
      await server.retention.stop();
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
