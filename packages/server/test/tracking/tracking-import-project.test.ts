import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTrackingCommand } from '../../src/cli/tracking-command.ts';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';
import { ADMIN_PASSWORD, call, login } from '../auth/auth-server.ts';

const CLI_TIMEOUT_MS = 60_000;
const MLFLOW = '/api/2.0/mlflow';

let workDir: string;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'foghorn-import-project-'));
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function startServer(dataDir: string): Promise<FoghornHandle> {
  return startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    alertIntervalMs: 0,
    alertOutboxIntervalMs: 0,
    auth: { enabled: true, bootstrapAdminPassword: ADMIN_PASSWORD },
  });
}

/** Logs the admin in to `projectId` and returns a new API token of that project. */
async function tokenOf(url: string, projectId: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, projectId }),
  });
  expect(response.status).toBe(200);
  const session = {
    cookie: response.headers.get('set-cookie')!.split(';')[0]!,
    csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken,
  };
  const token = await call(url, 'POST', '/api/v1/auth/tokens', session, { name: projectId });
  expect(token.status).toBe(201);
  return token.body.token as string;
}

/**
 * Runs `foghorn tracking import` in this process through the command's entry
 * point. A separate process cannot open the DuckDB file here, because this
 * process still holds its lock after the first server closed.
 */
async function runImport(
  args: string[],
): Promise<{ exitCode: number; stdout: string; error: string }> {
  let stdout = '';
  const io = {
    out: (text: string) => (stdout += text),
    warn: () => undefined,
    progress: { write: () => undefined, isTTY: false },
  };
  try {
    return { exitCode: await runTrackingCommand(['import', ...args], io, {}), stdout, error: '' };
  } catch (error) {
    return { exitCode: 1, stdout, error: (error as Error).message };
  }
}

function writeRecords(): string {
  const records = join(workDir, 'records');
  mkdirSync(records, { recursive: true });
  const record = {
    run_id: 'beta1',
    timestamp: '2026-03-04T05:06:07Z',
    params: { depth: 4 },
    metrics: { auc: 0.87 },
    artifacts: [],
  };
  writeFileSync(join(records, 'beta1.json'), JSON.stringify(record));
  return records;
}

describe('foghorn tracking import --project', () => {
  it('imports into one project only', { timeout: 4 * CLI_TIMEOUT_MS }, async () => {
    const dataDir = join(workDir, 'data');
    const first = await startServer(dataDir);
    let betaToken = '';
    let defaultToken = '';
    try {
      const admin = await login(first.url, 'admin', ADMIN_PASSWORD);
      const project = await call(first.url, 'POST', '/api/v1/auth/projects', admin, {
        id: 'beta',
        name: 'Beta',
      });
      expect(project.status).toBe(201);
      betaToken = await tokenOf(first.url, 'beta');
      defaultToken = await tokenOf(first.url, 'default');
    } finally {
      await first.close();
    }

    const records = writeRecords();
    const importArgs = [records, '--data-dir', dataDir];
    const missing = await runImport([...importArgs, '--project', 'gamma', '--experiment', 'xgb']);
    expect(missing.exitCode).toBe(1);
    expect(missing.error).toContain('--project gamma does not exist in this data directory');
    const result = await runImport([...importArgs, '--project', 'beta', '--experiment', 'xgb']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('1 experiments, 1 runs, 1 metric points');

    const second = await startServer(dataDir);
    try {
      const betaRun = await call(second.url, 'GET', `${MLFLOW}/runs/get?run_id=beta1`, betaToken);
      expect(betaRun.status).toBe(200);
      expect(betaRun.body.run.data.params).toEqual([{ key: 'depth', value: '4' }]);
      expect(betaRun.body.run.data.metrics.map((m: any) => [m.key, m.value])).toEqual([
        ['auc', 0.87],
      ]);
      const byName = `${MLFLOW}/experiments/get-by-name?experiment_name=xgb`;
      const betaExperiment = await call(second.url, 'GET', byName, betaToken);
      expect(betaExperiment.body.experiment.name).toBe('xgb');
      const betaSearch = await call(second.url, 'POST', `${MLFLOW}/runs/search`, betaToken, {
        experiment_ids: [betaExperiment.body.experiment.experiment_id],
      });
      expect(betaSearch.body.runs.map((run: any) => run.info.run_id)).toEqual(['beta1']);

      const defaultRun = await call(
        second.url,
        'GET',
        `${MLFLOW}/runs/get?run_id=beta1`,
        defaultToken,
      );
      expect(defaultRun.status).toBe(404);
      expect(defaultRun.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect((await call(second.url, 'GET', byName, defaultToken)).status).toBe(404);
    } finally {
      await second.close();
    }
  });
});
