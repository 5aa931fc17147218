import { call } from './auth-server.ts';

/** The ids a tracking request can name: those of real resources, or of missing ones. */
export interface TrackingIds {
  experimentId: string;
  experimentName: string;
  runId: string;
  loggedModelId: string;
  modelName: string;
  alias: string;
  artifactPath: string;
}

/** Ids of the same form as real ones that no project has. */
export const MISSING_IDS: TrackingIds = {
  experimentId: '987654321',
  experimentName: 'no-such-experiment',
  runId: 'ffffffffffffffffffffffffffffffff',
  loggedModelId: 'm-ffffffffffffffffffffffffffffffff',
  modelName: 'no-such-model',
  alias: 'no-such-alias',
  artifactPath: '987654321/ffffffffffffffffffffffffffffffff/artifacts/notes.txt',
};

/** A value stored only in the owner's resources: a response to another project must not contain it. */
export const OWNER_SECRET = 'owner-secret-7f3a';

export interface TrackingRequest {
  path: string;
  body?: unknown;
}

type RequestFor = (ids: TrackingIds) => TrackingRequest;

const metric = { key: 'accuracy', value: 0.5, timestamp: 1, step: 0 };

/** One request per MLflow 2.0 route (path below `/2.0/mlflow`), naming the resources in `ids`. */
export const MLFLOW_REQUESTS: Readonly<Record<string, RequestFor>> = {
  'POST /experiments/create': (ids) => ({
    path: '/experiments/create',
    body: { name: ids.experimentName },
  }),
  'GET /experiments/get': (ids) => ({ path: `/experiments/get?experiment_id=${ids.experimentId}` }),
  'GET /experiments/get-by-name': (ids) => ({
    path: `/experiments/get-by-name?experiment_name=${ids.experimentName}`,
  }),
  'GET /experiments/search': (ids) => ({
    path: `/experiments/search?max_results=100&filter=name%3D%27${ids.experimentName}%27`,
  }),
  'POST /experiments/search': () => ({ path: '/experiments/search', body: { max_results: 100 } }),
  'POST /experiments/update': (ids) => ({
    path: '/experiments/update',
    body: { experiment_id: ids.experimentId, new_name: 'renamed by another project' },
  }),
  'POST /experiments/delete': (ids) => ({
    path: '/experiments/delete',
    body: { experiment_id: ids.experimentId },
  }),
  'POST /experiments/restore': (ids) => ({
    path: '/experiments/restore',
    body: { experiment_id: ids.experimentId },
  }),
  'POST /experiments/set-experiment-tag': (ids) => ({
    path: '/experiments/set-experiment-tag',
    body: { experiment_id: ids.experimentId, key: 'k', value: 'v' },
  }),
  'POST /experiments/delete-experiment-tag': (ids) => ({
    path: '/experiments/delete-experiment-tag',
    body: { experiment_id: ids.experimentId, key: 'secret' },
  }),
  'POST /runs/create': (ids) => ({
    path: '/runs/create',
    body: { experiment_id: ids.experimentId, start_time: 1 },
  }),
  'GET /runs/get': (ids) => ({ path: `/runs/get?run_id=${ids.runId}` }),
  'POST /runs/update': (ids) => ({
    path: '/runs/update',
    body: { run_id: ids.runId, status: 'FAILED' },
  }),
  'POST /runs/delete': (ids) => ({ path: '/runs/delete', body: { run_id: ids.runId } }),
  'POST /runs/restore': (ids) => ({ path: '/runs/restore', body: { run_id: ids.runId } }),
  'POST /runs/search': (ids) => ({
    path: '/runs/search',
    body: { experiment_ids: [ids.experimentId, '0'], max_results: 100 },
  }),
  'POST /runs/log-batch': (ids) => ({
    path: '/runs/log-batch',
    body: { run_id: ids.runId, metrics: [metric] },
  }),
  'POST /runs/log-metric': (ids) => ({
    path: '/runs/log-metric',
    body: { run_id: ids.runId, ...metric },
  }),
  'POST /runs/log-parameter': (ids) => ({
    path: '/runs/log-parameter',
    body: { run_id: ids.runId, key: 'secret', value: 'changed' },
  }),
  'POST /runs/set-tag': (ids) => ({
    path: '/runs/set-tag',
    body: { run_id: ids.runId, key: 'k', value: 'v' },
  }),
  'POST /runs/delete-tag': (ids) => ({
    path: '/runs/delete-tag',
    body: { run_id: ids.runId, key: 'secret' },
  }),
  'GET /metrics/get-history': (ids) => ({
    path: `/metrics/get-history?run_id=${ids.runId}&metric_key=accuracy`,
  }),
  'POST /runs/log-inputs': (ids) => ({
    path: '/runs/log-inputs',
    body: { run_id: ids.runId, datasets: [] },
  }),
  'POST /runs/outputs': (ids) => ({
    path: '/runs/outputs',
    body: { run_id: ids.runId, models: [{ model_id: ids.loggedModelId, step: 0 }] },
  }),
  'POST /runs/log-model': (ids) => ({
    path: '/runs/log-model',
    body: { run_id: ids.runId, model_json: '{"artifact_path": "model"}' },
  }),
  'GET /artifacts/list': (ids) => ({ path: `/artifacts/list?run_id=${ids.runId}` }),
  'POST /logged-models': (ids) => ({
    path: '/logged-models',
    body: { experiment_id: ids.experimentId, name: 'model' },
  }),
  'POST /logged-models/search': (ids) => ({
    path: '/logged-models/search',
    body: { experiment_ids: [ids.experimentId, '0'] },
  }),
  'GET /logged-models/:model_id': (ids) => ({ path: `/logged-models/${ids.loggedModelId}` }),
  'PATCH /logged-models/:model_id': (ids) => ({
    path: `/logged-models/${ids.loggedModelId}`,
    body: { status: 'LOGGED_MODEL_READY' },
  }),
  'DELETE /logged-models/:model_id': (ids) => ({ path: `/logged-models/${ids.loggedModelId}` }),
  'PATCH /logged-models/:model_id/tags': (ids) => ({
    path: `/logged-models/${ids.loggedModelId}/tags`,
    body: { tags: [{ key: 'k', value: 'v' }] },
  }),
  'DELETE /logged-models/:model_id/tags/:tag_key': (ids) => ({
    path: `/logged-models/${ids.loggedModelId}/tags/secret`,
  }),
  'POST /logged-models/:model_id/params': (ids) => ({
    path: `/logged-models/${ids.loggedModelId}/params`,
    body: { params: [{ key: 'k', value: 'v' }] },
  }),
  'GET /logged-models/:model_id/artifacts/directories': (ids) => ({
    path: `/logged-models/${ids.loggedModelId}/artifacts/directories`,
  }),
  'POST /registered-models/create': (ids) => ({
    path: '/registered-models/create',
    body: { name: ids.modelName },
  }),
  'GET /registered-models/get': (ids) => ({ path: `/registered-models/get?name=${ids.modelName}` }),
  'POST /registered-models/rename': (ids) => ({
    path: '/registered-models/rename',
    body: { name: ids.modelName, new_name: `${ids.modelName}-renamed` },
  }),
  'PATCH /registered-models/update': (ids) => ({
    path: '/registered-models/update',
    body: { name: ids.modelName, description: 'changed' },
  }),
  'DELETE /registered-models/delete': (ids) => ({
    path: '/registered-models/delete',
    body: { name: ids.modelName },
  }),
  'GET /registered-models/search': (ids) => ({
    path: `/registered-models/search?filter=name%3D%27${ids.modelName}%27`,
  }),
  'GET /registered-models/get-latest-versions': (ids) => ({
    path: `/registered-models/get-latest-versions?name=${ids.modelName}`,
  }),
  'POST /registered-models/get-latest-versions': (ids) => ({
    path: '/registered-models/get-latest-versions',
    body: { name: ids.modelName },
  }),
  'POST /registered-models/set-tag': (ids) => ({
    path: '/registered-models/set-tag',
    body: { name: ids.modelName, key: 'k', value: 'v' },
  }),
  'DELETE /registered-models/delete-tag': (ids) => ({
    path: '/registered-models/delete-tag',
    body: { name: ids.modelName, key: 'secret' },
  }),
  'POST /model-versions/create': (ids) => ({
    path: '/model-versions/create',
    body: { name: ids.modelName, source: `runs:/${ids.runId}/model`, run_id: ids.runId },
  }),
  'GET /model-versions/get': (ids) => ({
    path: `/model-versions/get?name=${ids.modelName}&version=1`,
  }),
  'PATCH /model-versions/update': (ids) => ({
    path: '/model-versions/update',
    body: { name: ids.modelName, version: '1', description: 'changed' },
  }),
  'DELETE /model-versions/delete': (ids) => ({
    path: '/model-versions/delete',
    body: { name: ids.modelName, version: '1' },
  }),
  'GET /model-versions/get-download-uri': (ids) => ({
    path: `/model-versions/get-download-uri?name=${ids.modelName}&version=1`,
  }),
  'POST /model-versions/transition-stage': (ids) => ({
    path: '/model-versions/transition-stage',
    body: {
      name: ids.modelName,
      version: '1',
      stage: 'Archived',
      archive_existing_versions: false,
    },
  }),
  'GET /model-versions/search': (ids) => ({
    path: `/model-versions/search?filter=name%3D%27${ids.modelName}%27`,
  }),
  'POST /model-versions/set-tag': (ids) => ({
    path: '/model-versions/set-tag',
    body: { name: ids.modelName, version: '1', key: 'k', value: 'v' },
  }),
  'DELETE /model-versions/delete-tag': (ids) => ({
    path: '/model-versions/delete-tag',
    body: { name: ids.modelName, version: '1', key: 'secret' },
  }),
  'GET /registered-models/alias': (ids) => ({
    path: `/registered-models/alias?name=${ids.modelName}&alias=${ids.alias}`,
  }),
  'POST /registered-models/alias': (ids) => ({
    path: '/registered-models/alias',
    body: { name: ids.modelName, alias: ids.alias, version: '1' },
  }),
  'DELETE /registered-models/alias': (ids) => ({
    path: '/registered-models/alias',
    body: { name: ids.modelName, alias: ids.alias },
  }),
};

/** One request per artifact proxy route (path below `/2.0/mlflow-artifacts`). */
export const ARTIFACT_REQUESTS: Readonly<Record<string, RequestFor>> = {
  'GET /artifacts': (ids) => ({
    path: `/artifacts?path=${ids.artifactPath.split('/').slice(0, -1).join('/')}`,
  }),
  'GET /artifacts/*': (ids) => ({ path: `/artifacts/${ids.artifactPath}` }),
  'PUT /artifacts/*': (ids) => ({ path: `/artifacts/${ids.artifactPath}`, body: 'replaced' }),
  'DELETE /artifacts/*': (ids) => ({ path: `/artifacts/${ids.artifactPath}` }),
};

/** One request per model registry route of the Foghorn API (full path). */
export const REGISTRY_REQUESTS: Readonly<Record<string, RequestFor>> = {
  'GET /api/v1/registry/policies': () => ({ path: '/api/v1/registry/policies' }),
  'PUT /api/v1/registry/policies': (ids) => ({
    path: '/api/v1/registry/policies',
    body: {
      modelName: ids.modelName,
      metricKey: 'accuracy',
      comparator: '>=',
      threshold: 0.5,
      autoPromote: false,
    },
  }),
  'DELETE /api/v1/registry/policies': (ids) => ({
    path: `/api/v1/registry/policies?modelName=${ids.modelName}`,
  }),
  'GET /api/v1/registry/transitions': (ids) => ({
    path: `/api/v1/registry/transitions?name=${ids.modelName}`,
  }),
  'POST /api/v1/registry/transitions': (ids) => ({
    path: '/api/v1/registry/transitions',
    body: { name: ids.modelName, version: 1, stage: 'Archived' },
  }),
};

async function mlflow(url: string, token: string, path: string, body: unknown): Promise<any> {
  const response = await call(url, 'POST', `/api/2.0/mlflow${path}`, token, body);
  if (response.status !== 200)
    throw new Error(`seeding ${path} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Creates one of each tracking resource in the token's project, each holding
 * OWNER_SECRET, and returns their ids. `adminToken` sets a promotion policy.
 */
export async function seedTrackingResources(
  url: string,
  token: string,
  adminToken: string,
): Promise<TrackingIds> {
  const experimentName = 'owner-experiment';
  const { experiment_id: experimentId } = await mlflow(url, token, '/experiments/create', {
    name: experimentName,
    tags: [{ key: 'secret', value: OWNER_SECRET }],
  });
  const { run } = await mlflow(url, token, '/runs/create', {
    experiment_id: experimentId,
    start_time: 1,
    tags: [{ key: 'secret', value: OWNER_SECRET }],
  });
  const runId = run.info.run_id as string;

  await mlflow(url, token, '/runs/log-batch', {
    run_id: runId,
    params: [{ key: 'secret', value: OWNER_SECRET }],
    metrics: [metric],
  });

  const { model } = await mlflow(url, token, '/logged-models', {
    experiment_id: experimentId,
    name: 'model',
    tags: [{ key: 'secret', value: OWNER_SECRET }],
  });

  const modelName = 'owner-model';
  await mlflow(url, token, '/registered-models/create', {
    name: modelName,
    description: OWNER_SECRET,
    tags: [{ key: 'secret', value: OWNER_SECRET }],
  });
  await mlflow(url, token, '/model-versions/create', {
    name: modelName,
    source: `runs:/${runId}/model`,
    run_id: runId,
    description: OWNER_SECRET,
    tags: [{ key: 'secret', value: OWNER_SECRET }],
  });
  await mlflow(url, token, '/registered-models/alias', {
    name: modelName,
    alias: 'champion',
    version: '1',
  });

  const artifactPath = `${experimentId}/${runId}/artifacts/notes.txt`;
  const upload = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/${artifactPath}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}` },
    body: OWNER_SECRET,
  });
  if (upload.status !== 200) throw new Error(`seeding the artifact failed: ${upload.status}`);

  const policy = await call(url, 'PUT', '/api/v1/registry/policies', adminToken, {
    modelName,
    metricKey: OWNER_SECRET,
    comparator: '>=',
    threshold: 0.5,
    autoPromote: false,
  });
  if (policy.status !== 200) throw new Error(`seeding the policy failed: ${policy.status}`);

  return {
    experimentId,
    experimentName,
    runId,
    loggedModelId: model.info.model_id as string,
    modelName,
    alias: 'champion',
    artifactPath,
  };
}

/**
 * Replaces every id of `ids` in a response text by its field name, then every
 * other number by `<n>`, so the responses for two sets of ids compare. Experiment
 * ids are short numbers that also occur as version numbers.
 */
export function withIdsNamed(text: string, ids: TrackingIds): string {
  let named = text;
  const fields = Object.entries(ids).sort(([, a], [, b]) => b.length - a.length);
  for (const [field, value] of fields) {
    if (/^\d+$/.test(value)) continue;
    const escaped = value.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    named = named.replaceAll(new RegExp(`(?<!\\w)${escaped}(?!\\w)`, 'g'), `<${field}>`);
  }
  return named.replaceAll(/(?<![\w-])\d+(?![\w-])/g, '<n>');
}
