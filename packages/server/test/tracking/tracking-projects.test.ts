import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  call,
  login,
  startAuthServer,
  type AuthServer,
} from '../auth/auth-server.ts';
import { VENV_MISSING_MESSAGE, VENV_PYTHON, runPython } from './python-venv.ts';

const SCRIPT = fileURLToPath(new URL('./python/project_isolation.py', import.meta.url));
const SCRIPT_TIMEOUT_MS = 180_000;
const MLFLOW = '/api/2.0/mlflow';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

/** Creates a project and returns an API token of the admin in it. */
async function projectToken(server: AuthServer, projectId: string): Promise<string> {
  const admin = await login(server.url, 'admin', ADMIN_PASSWORD);
  await call(server.url, 'POST', '/api/v1/auth/projects', admin, {
    id: projectId,
    name: projectId,
  });
  const response = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, projectId }),
  });
  expect(response.status).toBe(200);
  const session = {
    cookie: response.headers.get('set-cookie')!.split(';')[0]!,
    csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken,
  };
  const token = await call(server.url, 'POST', '/api/v1/auth/tokens', session, { name: projectId });
  expect(token.status).toBe(201);
  return token.body.token as string;
}

describe('tracking data per project', () => {
  let server: AuthServer;
  let alpha = '';
  let beta = '';

  beforeAll(async () => {
    server = await startAuthServer({ apiBurst: 1_000_000, apiRatePerSecond: 1_000_000 });
    alpha = await projectToken(server, 'alpha');
    beta = await projectToken(server, 'beta');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('gives every project its own experiment 0', async () => {
    const tag = { experiment_id: '0', key: 'team', value: 'alpha team' };
    expect(
      (await call(server.url, 'POST', `${MLFLOW}/experiments/set-experiment-tag`, alpha, tag))
        .status,
    ).toBe(200);
    const run = await call(server.url, 'POST', `${MLFLOW}/runs/create`, alpha, {
      experiment_id: '0',
      start_time: 1,
    });
    expect(run.status).toBe(200);

    const alphaDefault = await call(
      server.url,
      'GET',
      `${MLFLOW}/experiments/get?experiment_id=0`,
      alpha,
    );
    const betaDefault = await call(
      server.url,
      'GET',
      `${MLFLOW}/experiments/get?experiment_id=0`,
      beta,
    );
    expect(alphaDefault.body.experiment.name).toBe('Default');
    expect(alphaDefault.body.experiment.tags).toEqual([{ key: 'team', value: 'alpha team' }]);
    expect(betaDefault.status).toBe(200);
    expect(betaDefault.body.experiment.name).toBe('Default');
    expect(betaDefault.body.experiment.tags).toEqual([]);

    const search = { experiment_ids: ['0'], max_results: 10 };
    const alphaRuns = await call(server.url, 'POST', `${MLFLOW}/runs/search`, alpha, search);
    const betaRuns = await call(server.url, 'POST', `${MLFLOW}/runs/search`, beta, search);
    expect(alphaRuns.body.runs.map((found: any) => found.info.run_id)).toEqual([
      run.body.run.info.run_id,
    ]);
    expect(betaRuns.body).toEqual({ runs: [] });
  });

  it('answers ids of another project like missing ones', async () => {
    const created = await call(server.url, 'POST', `${MLFLOW}/experiments/create`, alpha, {
      name: 'alpha only',
    });
    const experimentId = created.body.experiment_id as string;
    const run = await call(server.url, 'POST', `${MLFLOW}/runs/create`, alpha, {
      experiment_id: experimentId,
    });
    const runId = run.body.run.info.run_id as string;
    const missingRunId = '0123456789abcdef0123456789abcdef';

    const foreign = await call(server.url, 'GET', `${MLFLOW}/runs/get?run_id=${runId}`, beta);
    const missing = await call(
      server.url,
      'GET',
      `${MLFLOW}/runs/get?run_id=${missingRunId}`,
      beta,
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(foreign.body.message.replace(runId, 'ID')).toBe(
      missing.body.message.replace(missingRunId, 'ID'),
    );

    const write = await call(server.url, 'POST', `${MLFLOW}/runs/log-parameter`, beta, {
      run_id: runId,
      key: 'leak',
      value: 'x',
    });
    expect(write.status).toBe(404);
    const own = await call(server.url, 'GET', `${MLFLOW}/runs/get?run_id=${runId}`, alpha);
    expect(own.body.run.data.params).toEqual([]);

    const experiment = await call(
      server.url,
      'GET',
      `${MLFLOW}/experiments/get?experiment_id=${experimentId}`,
      beta,
    );
    expect(experiment.status).toBe(404);
    expect(experiment.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const byName = await call(
      server.url,
      'GET',
      `${MLFLOW}/experiments/get-by-name?experiment_name=alpha%20only`,
      beta,
    );
    expect(byName.status).toBe(404);
    const experiments = await call(server.url, 'POST', `${MLFLOW}/experiments/search`, beta, {
      max_results: 100,
    });
    expect(experiments.body.experiments.map((found: any) => found.name)).toEqual(['Default']);
  });

  it('keeps registered model names and version numbers per project', async () => {
    for (const token of [alpha, beta]) {
      const model = await call(server.url, 'POST', `${MLFLOW}/registered-models/create`, token, {
        name: 'shared-name',
      });
      expect(model.status).toBe(200);
    }
    const source = 'mlflow-artifacts:/0/models/m-1/artifacts';
    const first = await call(server.url, 'POST', `${MLFLOW}/model-versions/create`, alpha, {
      name: 'shared-name',
      source,
    });
    const second = await call(server.url, 'POST', `${MLFLOW}/model-versions/create`, alpha, {
      name: 'shared-name',
      source,
    });
    const betaFirst = await call(server.url, 'POST', `${MLFLOW}/model-versions/create`, beta, {
      name: 'shared-name',
      source,
    });
    expect([first.body.model_version.version, second.body.model_version.version]).toEqual([
      '1',
      '2',
    ]);
    expect(betaFirst.body.model_version.version).toBe('1');
    await call(server.url, 'POST', `${MLFLOW}/registered-models/set-tag`, alpha, {
      name: 'shared-name',
      key: 'owner',
      value: 'alpha',
    });

    const betaModel = await call(
      server.url,
      'GET',
      `${MLFLOW}/registered-models/get?name=shared-name`,
      beta,
    );
    expect(betaModel.body.registered_model.tags).toEqual([]);
    const betaVersions = await call(
      server.url,
      'GET',
      `${MLFLOW}/model-versions/search?filter=name%3D%27shared-name%27`,
      beta,
    );
    expect(betaVersions.body.model_versions.map((version: any) => version.version)).toEqual(['1']);
    const tagged = await call(
      server.url,
      'GET',
      `${MLFLOW}/registered-models/search?filter=tags.owner%3D%27alpha%27`,
      beta,
    );
    expect(tagged.body).toEqual({ registered_models: [] });

    const deleted = await call(server.url, 'DELETE', `${MLFLOW}/registered-models/delete`, beta, {
      name: 'shared-name',
    });
    expect(deleted.status).toBe(200);
    const alphaModel = await call(
      server.url,
      'GET',
      `${MLFLOW}/registered-models/get?name=shared-name`,
      alpha,
    );
    expect(alphaModel.status).toBe(200);
    expect(alphaModel.body.registered_model.tags).toEqual([{ key: 'owner', value: 'alpha' }]);
  });

  it('serves artifacts from the caller project root only', async () => {
    const path = `${ARTIFACTS}/7/run/artifacts/notes.txt`;
    const upload = await fetch(`${server.url}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${alpha}` },
      body: 'alpha notes',
    });
    expect(upload.status).toBe(200);
    const own = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${alpha}` },
    });
    expect(await own.text()).toBe('alpha notes');

    const other = await call(server.url, 'GET', path, beta);
    expect(other.status).toBe(404);
    expect(other.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const listing = await call(server.url, 'GET', `${ARTIFACTS}?path=7/run/artifacts`, beta);
    expect(listing.body).toEqual({});
    for (const climb of [
      '../alpha/7/run/artifacts/notes.txt',
      '..%2Falpha%2F7%2Frun%2Fartifacts%2Fnotes.txt',
    ]) {
      const escaped = await call(server.url, 'GET', `${ARTIFACTS}/${climb}`, beta);
      expect(escaped.status).toBeGreaterThanOrEqual(400);
      expect(escaped.body).not.toBe('alpha notes');
    }
    await call(server.url, 'DELETE', path, beta);
    const kept = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${alpha}` },
    });
    expect(await kept.text()).toBe('alpha notes');
  });
});

if (VENV_PYTHON === null) console.warn(`tracking projects: ${VENV_MISSING_MESSAGE}`);

describe.skipIf(VENV_PYTHON === null)('MLflow client in two projects', () => {
  let server: AuthServer;
  let alpha = '';
  let beta = '';

  beforeAll(async () => {
    server = await startAuthServer({ apiBurst: 1_000_000, apiRatePerSecond: 1_000_000 });
    alpha = await projectToken(server, 'alpha');
    beta = await projectToken(server, 'beta');
  });
  afterAll(async () => {
    await server.stop();
  });

  async function runClient(token: string, args: string[]): Promise<Record<string, unknown>> {
    const result = await runPython([SCRIPT, server.url, ...args], {
      cwd: server.dataDir,
      env: {
        MLFLOW_TRACKING_TOKEN: token,
        MLFLOW_TRACKING_USERNAME: '',
        MLFLOW_TRACKING_PASSWORD: '',
      },
      timeoutMs: SCRIPT_TIMEOUT_MS,
    });
    const line = result.output.trim().split('\n').at(-1) ?? '';
    if (result.exitCode !== 0 || !line.startsWith('{'))
      throw new Error(`the script failed:\n${result.output}`);
    return JSON.parse(line) as Record<string, unknown>;
  }

  it('hides runs, models and artifacts of project A from project B', async () => {
    const owner = await runClient(alpha, ['owner']);
    expect(owner.version).toBe('1');
    expect(owner.prediction).toBe(1);
    const experimentId = String(owner.experiment_id);
    const runId = String(owner.run_id);

    const outsider = await runClient(beta, ['outsider', experimentId, runId]);
    expect(outsider.search_runs).toBe(0);
    expect(outsider.get_run).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(outsider.get_experiment).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(outsider.experiment_by_name).toBe(true);
    expect(outsider.registered_models).toEqual([]);
    expect(outsider.model_versions).toBe(0);
    expect(outsider.get_model_version).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(outsider.load_model).toBe('RestException:RESOURCE_DOES_NOT_EXIST');
    expect(outsider.load_run_model).toBe('RestException:RESOURCE_DOES_NOT_EXIST');
    expect(outsider.download_artifact).toBe('404');

    const path = `${ARTIFACTS}/${experimentId}/${runId}/artifacts/notes.txt`;
    const own = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${alpha}` },
    });
    expect(own.status).toBe(200);
    expect(await own.text()).toBe('owner notes');
    const other = await call(server.url, 'GET', path, beta);
    expect(other.status).toBe(404);
  });

  it('lets project B log under the same names', async () => {
    const owner = await runClient(beta, ['owner']);
    expect(owner.version).toBe('1');
    expect(owner.prediction).toBe(1);
    const alphaModel = await call(
      server.url,
      'GET',
      `${MLFLOW}/registered-models/get?name=project-model`,
      alpha,
    );
    expect(
      alphaModel.body.registered_model.latest_versions.map((v: any) => v.run_id),
    ).not.toContain(owner.run_id);
  });
});
