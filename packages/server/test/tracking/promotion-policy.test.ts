import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MLFLOW2_PATH, VENV_MISSING_MESSAGE, VENV_PYTHON, runPython } from './python-venv.ts';

const SCRIPT = fileURLToPath(new URL('./python/promotion_policy.py', import.meta.url));
const SCRIPT_TIMEOUT_MS = 120_000;

interface PolicyReport {
  mlflow_version: string;
  runs: { weak: string; strong: string; stronger: string };
  weak_error: { code: string; message: string } | null;
  strong_stage: string;
  weak_stage: string;
  auto_stages: Record<string, string>;
}

if (VENV_PYTHON === null) console.warn(`promotion policy: ${VENV_MISSING_MESSAGE}`);

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await server.stop();
});

async function send(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function setPolicies(): Promise<void> {
  const base = { metricKey: 'accuracy', comparator: '>=', threshold: 0.9 };
  const manual = await send('PUT', '/api/v1/registry/policies', { ...base, modelName: 'churn' });
  expect(manual.status).toBe(200);
  const auto = await send('PUT', '/api/v1/registry/policies', {
    ...base,
    modelName: 'churn-auto',
    autoPromote: true,
    archivePrevious: true,
  });
  expect(auto.status).toBe(200);
}

async function runScript(env: NodeJS.ProcessEnv): Promise<PolicyReport> {
  const workDir = mkdtempSync(join(tmpdir(), 'foghorn-policy-'));
  try {
    const reportPath = join(workDir, 'report.json');
    const result = await runPython([SCRIPT, server.url, reportPath], {
      cwd: workDir,
      env: { MLFLOW_TRACKING_USERNAME: 'ana', MLFLOW_TRACKING_PASSWORD: 'not-a-secret', ...env },
      timeoutMs: SCRIPT_TIMEOUT_MS,
    });
    if (result.exitCode !== 0)
      throw new Error(`promotion_policy.py exited with ${result.exitCode}:\n${result.output}`);
    return JSON.parse(readFileSync(reportPath, 'utf8')) as PolicyReport;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function checkClientRun(env: NodeJS.ProcessEnv): Promise<void> {
  await setPolicies();
  const report = await runScript(env);

  expect(report.weak_error?.code).toBe('INVALID_PARAMETER_VALUE');
  // The client prefixes the server's message with the error code.
  expect(report.weak_error?.message).toBe(
    `INVALID_PARAMETER_VALUE: Transition of model 'churn' version 1 to Production was rejected by its promotion policy: metric 'accuracy' of run ${report.runs.weak} is 0.71, and the policy requires accuracy >= 0.9. Promote a version whose run meets the threshold, or change the policy at /api/v1/registry/policies.`,
  );
  expect(report.weak_stage).toBe('Staging');
  expect(report.strong_stage).toBe('Production');
  expect(report.auto_stages).toEqual({ '1': 'Archived', '2': 'Production', '3': 'None' });

  const churn = await send('GET', '/api/v1/registry/transitions?name=churn');
  expect(
    churn.body.transitions.map((t: any) => [t.version, t.toStage, t.outcome, t.actor]),
  ).toEqual([
    [2, 'Production', 'applied', 'user:ana'],
    [1, 'Staging', 'applied', 'user:ana'],
    [1, 'Production', 'rejected', 'user:ana'],
  ]);
  const auto = await send('GET', '/api/v1/registry/transitions?name=churn-auto');
  expect(
    auto.body.transitions.map((t: any) => [t.version, t.fromStage, t.toStage, t.actor]),
  ).toEqual([
    [1, 'Production', 'Archived', 'policy:auto'],
    [2, 'None', 'Production', 'policy:auto'],
    [1, 'None', 'Production', 'policy:auto'],
  ]);
  const promotedReason = auto.body.transitions[1].reason as string;
  expect(promotedReason).toBe(
    `auto-promoted: metric 'accuracy' of run ${report.runs.stronger} is 0.97, which meets accuracy >= 0.9`,
  );
}

describe('promotion policy with the real client', () => {
  it.skipIf(VENV_PYTHON === null)('gates MLflow 3.x', { timeout: SCRIPT_TIMEOUT_MS + 20_000 }, () =>
    checkClientRun({}),
  );

  it.skipIf(VENV_PYTHON === null || MLFLOW2_PATH === null)(
    'gates MLflow 2.x',
    { timeout: SCRIPT_TIMEOUT_MS + 20_000 },
    () => checkClientRun({ PYTHONPATH: MLFLOW2_PATH! }),
  );
});

describe('policy API', () => {
  it('persists policies across restarts', async () => {
    await send('PUT', '/api/v1/registry/policies', {
      metricKey: 'rmse',
      comparator: '<=',
      threshold: 1.5,
    });
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });
    const listed = await send('GET', '/api/v1/registry/policies');
    expect(listed.body.policies).toEqual([
      expect.objectContaining({
        modelName: null,
        metricKey: 'rmse',
        comparator: '<=',
        threshold: 1.5,
        autoPromote: false,
        archivePrevious: true,
      }),
    ]);
  });

  it('rejects an unknown comparator', async () => {
    const response = await send('PUT', '/api/v1/registry/policies', {
      metricKey: 'accuracy',
      comparator: '>',
      threshold: 0.9,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('field "comparator"');
  });

  it('applies the default policy through the UI route', async () => {
    await send('PUT', '/api/v1/registry/policies', {
      metricKey: 'rmse',
      comparator: '<=',
      threshold: 1.5,
    });
    const mlflow = (path: string, body: unknown): Promise<{ status: number; body: any }> =>
      send('POST', `/api/2.0/mlflow${path}`, body);
    const run = await mlflow('/runs/create', { experiment_id: '0' });
    const runId = run.body.run.info.run_id as string;
    await mlflow('/runs/log-metric', {
      run_id: runId,
      key: 'rmse',
      value: 2.25,
      timestamp: 1,
      step: 0,
    });
    await mlflow('/registered-models/create', { name: 'regressor' });
    await mlflow('/model-versions/create', {
      name: 'regressor',
      source: 's3://b/m',
      run_id: runId,
    });

    const rejected = await send('POST', '/api/v1/registry/transitions', {
      name: 'regressor',
      version: 1,
      stage: 'Production',
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(rejected.body.error.message).toContain(
      `rejected by the default promotion policy: metric 'rmse' of run ${runId} is 2.25, and the policy requires rmse <= 1.5`,
    );
    const staged = await send('POST', '/api/v1/registry/transitions', {
      name: 'regressor',
      version: 1,
      stage: 'Staging',
    });
    expect(staged.body.modelVersion.currentStage).toBe('Staging');
  });
});
