import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { duckDbInstanceOf, openDuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { openDuckDbTrackingStore } from '../../src/store/duckdb/tracking/duckdb-tracking-store.ts';
import type { NewRunWithData, TrackingStore } from '../../src/tracking/tracking-store.ts';

let dataDir: string;
let store: Store;
let tracking: TrackingStore;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'foghorn-bulk-runs-'));
  store = await openDuckDbStore(dataDir);
  tracking = await openDuckDbTrackingStore(duckDbInstanceOf(store)!, 1_700_000_000_000);
});

afterEach(async () => {
  await tracking.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function newRun(runId: string, overrides: Partial<NewRunWithData> = {}): NewRunWithData {
  return {
    runId,
    experimentId: '0',
    userId: 'ada',
    runName: `name-${runId}`,
    startTimeMs: 1_700_000_000_123,
    artifactUri: `mlflow-artifacts:/0/${runId}/artifacts`,
    tags: [{ key: 'mlflow.runName', value: `name-${runId}` }],
    params: [{ key: 'depth', value: '4' }],
    metrics: [
      { key: 'loss', value: 0.5, timestampMs: 20, step: 1 },
      { key: 'loss', value: 0.9, timestampMs: 30, step: 0 },
      { key: 'loss', value: NaN, timestampMs: 10, step: 1 },
    ],
    ...overrides,
  };
}

describe('createRunsWithData', () => {
  it('stores the runs with their tags, params, metric history and latest metric', async () => {
    await tracking.createRunsWithData([newRun('a1'), newRun('b2', { params: [] })]);
    const run = (await tracking.getRun('a1'))!;
    expect(run.info).toMatchObject({ runName: 'name-a1', status: 'RUNNING', userId: 'ada' });
    expect(run.data.params).toEqual([{ key: 'depth', value: '4' }]);
    expect(run.data.tags).toEqual([{ key: 'mlflow.runName', value: 'name-a1' }]);
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.5, timestampMs: 20, step: 1 }]);
    const history = await tracking.getMetricHistory('a1', 'loss', { maxResults: 10, offset: 0 });
    expect(history.items.map((metric) => metric.value)).toEqual([0.9, NaN, 0.5]);
    expect((await tracking.getRun('b2'))!.data.params).toEqual([]);
  });

  it('rejects a param key given two values and writes nothing', async () => {
    const conflicting = newRun('c3', {
      params: [
        { key: 'depth', value: '4' },
        { key: 'depth', value: '5' },
      ],
    });
    await expect(tracking.createRunsWithData([newRun('a1'), conflicting])).rejects.toThrow(
      "Changing param values is not allowed. Params were already logged='[{'key': 'depth', 'old_value': '4', 'new_value': '5'}]' for run ID='c3'.",
    );
    expect(await tracking.getRun('a1')).toBeNull();
  });

  it('keeps runs of another project out of reach', async () => {
    await tracking.forProject('beta').createRunsWithData([newRun('d4')]);
    expect(await tracking.getRun('d4')).toBeNull();
    expect((await tracking.forProject('beta').getRun('d4'))!.info.runId).toBe('d4');
  });
});
