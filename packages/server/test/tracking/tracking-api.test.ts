import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { mlflowHttp, type MlflowHttp } from './mlflow-http.ts';

let server: TestServer;
let api: MlflowHttp;

beforeAll(async () => {
  server = await startTestServer();
  api = mlflowHttp(server.url);
});

afterAll(async () => {
  await server.stop();
});

async function createExperiment(name: string): Promise<string> {
  const response = await api.post('/experiments/create', { name });
  expect(response.status).toBe(200);
  return response.body.experiment_id as string;
}

async function createRun(
  experimentId: string,
  runName: string,
  startTimeMs = Date.now(),
): Promise<string> {
  const response = await api.post('/runs/create', {
    experiment_id: experimentId,
    run_name: runName,
    start_time: startTimeMs,
    user_id: 'tester',
  });
  expect(response.status).toBe(200);
  return response.body.run.info.run_id as string;
}

describe('experiments', () => {
  it('serves the Default experiment', async () => {
    const response = await api.get('/experiments/get', { experiment_id: '0' });
    expect(response.status).toBe(200);
    expect(response.body.experiment.name).toBe('Default');
    expect(response.body.experiment.artifact_location).toBe('mlflow-artifacts:/0');
    expect(response.body.experiment.lifecycle_stage).toBe('active');
  });

  it('creates, finds by name and rejects duplicates', async () => {
    const id = await createExperiment('exp-create');
    const byName = await api.get('/experiments/get-by-name', { experiment_name: 'exp-create' });
    expect(byName.body.experiment.experiment_id).toBe(id);
    expect(byName.body.experiment.artifact_location).toBe(`mlflow-artifacts:/${id}`);
    const duplicate = await api.post('/experiments/create', { name: 'exp-create' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'Experiment(name=exp-create) already exists.',
    });
  });

  it('answers a missing name with RESOURCE_DOES_NOT_EXIST', async () => {
    const response = await api.get('/experiments/get-by-name', { experiment_name: 'nope' });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: "Could not find experiment with name 'nope'",
    });
  });

  it('names the missing required field', async () => {
    const response = await api.post('/experiments/create', {});
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(response.body.message).toContain("Missing value for required parameter 'name'");
  });

  it('deletes, hides from search, restores and renames', async () => {
    const id = await createExperiment('exp-lifecycle');
    await api.post('/experiments/set-experiment-tag', {
      experiment_id: id,
      key: 'team',
      value: 'ml',
    });
    expect((await api.post('/experiments/delete', { experiment_id: id })).status).toBe(200);
    const active = await api.post('/experiments/search', { filter: "name = 'exp-lifecycle'" });
    expect(active.body.experiments ?? []).toHaveLength(0);
    const deleted = await api.post('/experiments/search', {
      filter: "name = 'exp-lifecycle'",
      view_type: 'DELETED_ONLY',
    });
    expect(deleted.body.experiments[0].lifecycle_stage).toBe('deleted');
    await api.post('/experiments/restore', { experiment_id: id });
    await api.post('/experiments/update', { experiment_id: id, new_name: 'exp-renamed' });
    const renamed = await api.get('/experiments/get', { experiment_id: id });
    expect(renamed.body.experiment.name).toBe('exp-renamed');
    expect(renamed.body.experiment.tags).toEqual([{ key: 'team', value: 'ml' }]);
    const byTag = await api.get('/experiments/search', { filter: "tags.team = 'ml'" });
    expect(byTag.body.experiments.map((e: any) => e.experiment_id)).toEqual([id]);
  });
});

describe('runs', () => {
  it('creates a run with both ID fields and a runName tag', async () => {
    const experimentId = await createExperiment('runs-create');
    const response = await api.post('/runs/create', {
      experiment_id: experimentId,
      start_time: 1000,
    });
    const info = response.body.run.info;
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.status).toBe('RUNNING');
    expect(info.start_time).toBe(1000);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${info.run_id}/artifacts`);
    expect(info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    const tags = response.body.run.data.tags;
    expect(tags).toContainEqual({ key: 'mlflow.runName', value: info.run_name });
  });

  it('rejects a run name that contradicts the runName tag', async () => {
    const response = await api.post('/runs/create', {
      experiment_id: '0',
      run_name: 'a',
      tags: [{ key: 'mlflow.runName', value: 'b' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain("run_name='a', mlflow.runName='b'");
  });

  it('keeps params immutable', async () => {
    const runId = await createRun('0', 'params');
    expect(
      (await api.post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status,
    ).toBe(200);
    expect(
      (await api.post('/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status,
    ).toBe(200);
    const changed = await api.post('/runs/log-parameter', {
      run_id: runId,
      key: 'lr',
      value: '0.2',
    });
    expect(changed.status).toBe(400);
    expect(changed.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(changed.body.message).toContain("'old_value': '0.1', 'new_value': '0.2'");
    const run = await api.get('/runs/get', { run_id: runId });
    expect(run.body.run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
  });

  it('enforces param value length and name rules', async () => {
    const runId = await createRun('0', 'limits');
    const long = await api.post('/runs/log-parameter', {
      run_id: runId,
      key: 'p',
      value: 'x'.repeat(6001),
    });
    expect(long.status).toBe(400);
    expect(long.body.message).toContain('had length 6001, which exceeded length limit of 6000');
    const bad = await api.post('/runs/log-metric', {
      run_id: runId,
      key: 'a*b',
      value: 1,
      timestamp: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("Invalid metric name: 'a*b'");
    const traversal = await api.post('/runs/set-tag', { run_id: runId, key: '../x', value: '1' });
    expect(traversal.status).toBe(400);
  });

  it('keeps metric history and reports the latest value per key', async () => {
    const runId = await createRun('0', 'history');
    await api.post('/runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.9, timestamp: 10, step: 0 },
        { key: 'loss', value: 0.5, timestamp: 20, step: 1 },
        { key: 'loss', value: 0.7, timestamp: 5, step: 2 },
      ],
    });
    await api.post('/runs/log-metric', {
      run_id: runId,
      key: 'loss',
      value: 0.1,
      timestamp: 30,
      step: 1,
    });
    const history = await api.get('/metrics/get-history', { run_id: runId, metric_key: 'loss' });
    expect(history.body.metrics.map((m: any) => [m.step, m.value])).toEqual([
      [0, 0.9],
      [1, 0.5],
      [1, 0.1],
      [2, 0.7],
    ]);
    const run = await api.get('/runs/get', { run_id: runId });
    expect(run.body.run.data.metrics).toEqual([{ key: 'loss', value: 0.7, timestamp: 5, step: 2 }]);
    const paged = await api.get('/metrics/get-history', {
      run_id: runId,
      metric_key: 'loss',
      max_results: '3',
    });
    expect(paged.body.metrics).toHaveLength(3);
    const rest = await api.get('/metrics/get-history', {
      run_id: runId,
      metric_key: 'loss',
      max_results: '3',
      page_token: paged.body.next_page_token,
    });
    expect(rest.body.metrics.map((m: any) => m.value)).toEqual([0.7]);
    expect(rest.body.next_page_token).toBeUndefined();
  });

  it('encodes NaN and infinities as MLflow does', async () => {
    const runId = await createRun('0', 'nan');
    await api.post('/runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
        { key: 'pos', value: 'Infinity', timestamp: 1, step: 0 },
        { key: 'neg', value: '-Infinity', timestamp: 1, step: 0 },
      ],
    });
    await api.post(
      '/runs/log-metric',
      `{"run_id": "${runId}", "key": "bare", "value": NaN, "timestamp": 1}`,
    );
    const run = await api.get('/runs/get', { run_id: runId });
    const values = Object.fromEntries(run.body.run.data.metrics.map((m: any) => [m.key, m.value]));
    expect(values).toEqual({ bare: 'NaN', nan: 'NaN', neg: '-Infinity', pos: 'Infinity' });
  });

  it('returns metric values bit for bit', async () => {
    const runId = await createRun('0', 'precision');
    const values = [0.9333333333333333, 0.1 + 0.2, 1e300, -5e-324, 123456789012345680000];
    const metrics = values.map((value, step) => ({ key: 'v', value, timestamp: 1, step }));
    await api.post('/runs/log-batch', { run_id: runId, metrics });
    const history = await api.get('/metrics/get-history', { run_id: runId, metric_key: 'v' });
    expect(history.body.metrics.map((m: any) => m.value)).toEqual(values);
    const search = await api.post('/runs/search', {
      experiment_ids: ['0'],
      filter: 'metrics.v = 123456789012345680000',
    });
    expect(search.body.runs.map((run: any) => run.info.run_id)).toEqual([runId]);
  });

  it('rejects oversized batches', async () => {
    const runId = await createRun('0', 'batch-limit');
    const metrics = Array.from({ length: 1001 }, (_, i) => ({
      key: `m${i}`,
      value: i,
      timestamp: 1,
    }));
    const response = await api.post('/runs/log-batch', { run_id: runId, metrics });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('at most 1000 metrics. Got 1001 metrics');
  });

  it('updates, renames through the tag, deletes and restores', async () => {
    const runId = await createRun('0', 'lifecycle');
    const updated = await api.post('/runs/update', {
      run_id: runId,
      status: 'FINISHED',
      end_time: 99,
    });
    expect(updated.body.run_info.status).toBe('FINISHED');
    expect(updated.body.run_info.end_time).toBe(99);
    await api.post('/runs/set-tag', { run_id: runId, key: 'mlflow.runName', value: 'renamed' });
    expect((await api.get('/runs/get', { run_id: runId })).body.run.info.run_name).toBe('renamed');
    await api.post('/runs/delete', { run_id: runId });
    const logToDeleted = await api.post('/runs/log-metric', {
      run_id: runId,
      key: 'a',
      value: 1,
      timestamp: 1,
    });
    expect(logToDeleted.status).toBe(400);
    expect(logToDeleted.body.message).toContain("must be in the 'active' state");
    await api.post('/runs/restore', { run_id: runId });
    expect((await api.get('/runs/get', { run_id: runId })).body.run.info.lifecycle_stage).toBe(
      'active',
    );
  });

  it('answers a missing run with RESOURCE_DOES_NOT_EXIST', async () => {
    const response = await api.get('/runs/get', { run_id: 'f'.repeat(32) });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: `Run with id=${'f'.repeat(32)} not found`,
    });
  });

  it('stores dataset inputs and appends 2.x log-model history', async () => {
    const runId = await createRun('0', 'inputs');
    await api.post('/runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'train' }],
          dataset: { name: 'iris', digest: 'abc', source_type: 'code', source: '{}' },
        },
      ],
    });
    const modelJson = JSON.stringify({
      run_id: runId,
      artifact_path: 'model',
      utc_time_created: 'x',
      flavors: {},
    });
    await api.post('/runs/log-model', { run_id: runId, model_json: modelJson });
    await api.post('/runs/log-model', { run_id: runId, model_json: modelJson });
    const run = (await api.get('/runs/get', { run_id: runId })).body.run;
    expect(run.inputs.dataset_inputs[0].dataset.name).toBe('iris');
    expect(run.inputs.dataset_inputs[0].tags).toEqual([
      { key: 'mlflow.data.context', value: 'train' },
    ]);
    const history = run.data.tags.find((tag: any) => tag.key === 'mlflow.log-model.history');
    expect(JSON.parse(history.value)).toHaveLength(2);
    const bad = await api.post('/runs/log-model', { run_id: runId, model_json: '{}' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("'artifact_path'");
  });
});

describe('runs/search', () => {
  let experimentId: string;
  const runIds: Record<string, string> = {};

  beforeAll(async () => {
    experimentId = await createExperiment('search-grammar');
    const rows: [string, number | null, string, number][] = [
      ['a', 0.9, 'adam', 1000],
      ['b', 0.5, 'sgd', 2000],
      ['c', null, 'Adam', 3000],
      ['d', 0.9, 'sgd', 4000],
      ['e', NaN, 'lbfgs', 5000],
    ];
    for (const [name, accuracy, optimizer, start] of rows) {
      const runId = await createRun(experimentId, name, start);
      runIds[name] = runId;
      const metrics =
        accuracy === null
          ? []
          : [{ key: 'accuracy', value: Number.isNaN(accuracy) ? 'NaN' : accuracy, timestamp: 1 }];
      await api.post('/runs/log-batch', {
        run_id: runId,
        metrics,
        params: [{ key: 'optimizer', value: optimizer }],
        tags: name === 'a' ? [{ key: 'owner', value: 'ann' }] : [],
      });
    }
    await api.post('/runs/update', { run_id: runIds.b, status: 'FINISHED', end_time: 2500 });
  });

  async function search(body: Record<string, unknown>): Promise<string[]> {
    const response = await api.post('/runs/search', { experiment_ids: [experimentId], ...body });
    expect(response.status).toBe(200);
    const byId = Object.fromEntries(Object.entries(runIds).map(([name, id]) => [id, name]));
    return (response.body.runs ?? []).map((run: any) => byId[run.info.run_id]);
  }

  it('orders by start time newest first by default', async () => {
    expect(await search({})).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('orders by metric with NaN and missing values last', async () => {
    expect(await search({ order_by: ['metrics.accuracy DESC'] })).toEqual([
      'd',
      'a',
      'b',
      'e',
      'c',
    ]);
    expect(await search({ order_by: ['metrics.accuracy ASC'] })).toEqual(['b', 'd', 'a', 'e', 'c']);
  });

  it('orders by param and attribute', async () => {
    expect(await search({ order_by: ['params.optimizer', 'attributes.start_time ASC'] })).toEqual([
      'c',
      'a',
      'e',
      'b',
      'd',
    ]);
    expect(await search({ order_by: ['run_name DESC'] })).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('filters with comparators, LIKE, ILIKE, IN and IS NULL', async () => {
    expect(await search({ filter: 'metrics.accuracy >= 0.9' })).toEqual(['d', 'a']);
    expect(await search({ filter: 'metrics.accuracy != 0.9' })).toEqual(['e', 'b']);
    expect(await search({ filter: "params.optimizer LIKE 'a%'" })).toEqual(['a']);
    expect(await search({ filter: "params.optimizer ILIKE 'a%'" })).toEqual(['c', 'a']);
    expect(await search({ filter: "params.optimizer != 'sgd'" })).toEqual(['e', 'c', 'a']);
    expect(await search({ filter: `attributes.run_id IN ('${runIds.a}', '${runIds.b}')` })).toEqual(
      ['b', 'a'],
    );
    expect(await search({ filter: `run_id NOT IN ('${runIds.a}')` })).toEqual(['e', 'd', 'c', 'b']);
    expect(await search({ filter: "tags.owner = 'ann'" })).toEqual(['a']);
    expect(await search({ filter: 'tags.owner IS NULL' })).toEqual(['e', 'd', 'c', 'b']);
    expect(await search({ filter: "status = 'FINISHED' AND end_time > 2000" })).toEqual(['b']);
    expect(await search({ filter: "tags.`mlflow.runName` = 'c'" })).toEqual(['c']);
    expect(await search({ filter: 'start_time >= 3000 AND metrics.accuracy < 1' })).toEqual(['d']);
  });

  it('pages with tokens until the last page', async () => {
    const first = await api.post('/runs/search', {
      experiment_ids: [experimentId],
      max_results: 2,
    });
    expect(first.body.runs).toHaveLength(2);
    const second = await api.post('/runs/search', {
      experiment_ids: [experimentId],
      max_results: 2,
      page_token: first.body.next_page_token,
    });
    const third = await api.post('/runs/search', {
      experiment_ids: [experimentId],
      max_results: 2,
      page_token: second.body.next_page_token,
    });
    expect(third.body.runs).toHaveLength(1);
    expect(third.body.next_page_token).toBeUndefined();
  });

  it('separates active and deleted runs by view type', async () => {
    await api.post('/runs/delete', { run_id: runIds.e });
    expect(await search({})).toEqual(['d', 'c', 'b', 'a']);
    expect(await search({ run_view_type: 'DELETED_ONLY' })).toEqual(['e']);
    expect(await search({ run_view_type: 'ALL' })).toHaveLength(5);
    await api.post('/runs/restore', { run_id: runIds.e });
  });

  it('rejects bad filters and limits with INVALID_PARAMETER_VALUE', async () => {
    const bad = await api.post('/runs/search', {
      experiment_ids: [experimentId],
      filter: 'metrics.accuracy = high',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Expected numeric value type for metric. Found high',
    });
    const tooMany = await api.post('/runs/search', {
      experiment_ids: [experimentId],
      max_results: 50001,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain("'max_results'");
    const token = await api.post('/runs/search', {
      experiment_ids: [experimentId],
      page_token: 'bogus',
    });
    expect(token.status).toBe(400);
  });
});

describe('artifacts proxy', () => {
  const artifacts = (path: string): string =>
    `${server.url}/api/2.0/mlflow-artifacts/artifacts${path}`;

  it('uploads raw bytes, lists one level and downloads', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251]);
    const put = await fetch(artifacts('/0/run1/artifacts/dir/data.bin'), {
      method: 'PUT',
      body: bytes,
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({});
    await fetch(artifacts('/0/run1/artifacts/notes.json'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"not": "parsed"}',
    });
    const listing = await (await fetch(artifacts('?path=0/run1/artifacts'))).json();
    expect(listing).toEqual({
      files: [
        { path: 'dir', is_dir: true },
        { path: 'notes.json', is_dir: false, file_size: 17 },
      ],
    });
    expect(await (await fetch(artifacts('?path=0/run1/artifacts/notes.json'))).json()).toEqual({});
    const download = await fetch(artifacts('/0/run1/artifacts/dir/data.bin'));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="data.bin"');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('rejects path traversal', async () => {
    const encoded = await fetch(artifacts('/0/..%2F..%2F..%2Fescape.txt'), {
      method: 'PUT',
      body: 'x',
    });
    expect(encoded.status).toBe(400);
    expect(((await encoded.json()) as any).error_code).toBe('INVALID_PARAMETER_VALUE');
    const listing = await fetch(artifacts('?path=../..'));
    expect(listing.status).toBe(400);
    const absolute = await fetch(artifacts('?path=/etc'));
    expect(absolute.status).toBe(400);
    const download = await fetch(artifacts('/0/..%2F..%2F..%2Fetc%2Fpasswd'));
    expect(download.status).toBe(400);
  });

  it('answers a missing file with 404', async () => {
    const response = await fetch(artifacts('/0/none/file.txt'));
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});

describe('routing', () => {
  it('serves the ajax-api prefix too', async () => {
    const ajax = mlflowHttp(server.url, '/ajax-api/2.0/mlflow');
    const response = await ajax.get('/experiments/get', { experiment_id: '0' });
    expect(response.body.experiment.name).toBe('Default');
  });

  it('answers unknown MLflow routes with ENDPOINT_NOT_FOUND', async () => {
    for (const path of [
      '/api/2.0/mlflow/nope',
      '/api/3.0/mlflow/traces',
      '/ajax-api/2.0/mlflow/x/y',
    ]) {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(((await response.json()) as any).error_code).toBe('ENDPOINT_NOT_FOUND');
    }
  });

  it('reads an empty JSON body as an empty request', async () => {
    const response = await fetch(`${server.url}/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).experiments.length).toBeGreaterThan(0);
  });
});
