import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENV_MISSING_MESSAGE, VENV_PYTHON, runPython } from '../tracking/python-venv.ts';
import { ADMIN_PASSWORD, call, login, startAuthServer, type AuthServer } from './auth-server.ts';

const SCRIPT = fileURLToPath(new URL('./python/mlflow_auth.py', import.meta.url));
const SCRIPT_TIMEOUT_MS = 120_000;

interface ScriptResult {
  ok: boolean;
  alpha?: string;
  error_code?: string;
  message?: string;
}

if (VENV_PYTHON === null) console.warn(`mlflow auth: ${VENV_MISSING_MESSAGE}`);

describe.skipIf(VENV_PYTHON === null)('MLflow client auth', () => {
  let server: AuthServer;
  let memberToken: string;

  beforeAll(async () => {
    server = await startAuthServer();
    const admin = await login(server.url, 'admin', ADMIN_PASSWORD);
    await call(server.url, 'POST', '/api/v1/auth/users', admin, {
      username: 'mia',
      password: 'member password 1',
      role: 'member',
    });
    await call(server.url, 'POST', '/api/v1/auth/users', admin, {
      username: 'vic',
      password: 'viewer password 1',
      role: 'viewer',
    });
    const mia = await login(server.url, 'mia', 'member password 1');
    memberToken = (await call(server.url, 'POST', '/api/v1/auth/tokens', mia, { name: 'mlflow' }))
      .body.token;
  });
  afterAll(async () => {
    await server.stop();
  });

  async function runClient(experiment: string, env: NodeJS.ProcessEnv): Promise<ScriptResult> {
    const result = await runPython([SCRIPT, server.url, experiment], {
      cwd: server.dataDir,
      env: {
        MLFLOW_TRACKING_TOKEN: '',
        MLFLOW_TRACKING_USERNAME: '',
        MLFLOW_TRACKING_PASSWORD: '',
        ...env,
      },
      timeoutMs: SCRIPT_TIMEOUT_MS,
    });
    const line = result.output.trim().split('\n').at(-1) ?? '';
    if (result.exitCode !== 0 || !line.startsWith('{'))
      throw new Error(`the script failed:\n${result.output}`);
    return JSON.parse(line) as ScriptResult;
  }

  it('accepts MLFLOW_TRACKING_TOKEN', async () => {
    const result = await runClient('token-run', { MLFLOW_TRACKING_TOKEN: memberToken });
    expect(result).toEqual({ ok: true, alpha: '0.5' });
  });

  it('accepts HTTP Basic with a user password', async () => {
    const result = await runClient('basic-run', {
      MLFLOW_TRACKING_USERNAME: 'mia',
      MLFLOW_TRACKING_PASSWORD: 'member password 1',
    });
    expect(result).toEqual({ ok: true, alpha: '0.5' });
  });

  it('reports UNAUTHENTICATED for a wrong password', async () => {
    const result = await runClient('wrong-run', {
      MLFLOW_TRACKING_USERNAME: 'mia',
      MLFLOW_TRACKING_PASSWORD: 'not the password',
    });
    expect(result.ok).toBe(false);
    expect(result.error_code).toBe('UNAUTHENTICATED');
  });

  it('reports PERMISSION_DENIED for a viewer writing', async () => {
    // The failed login above delays the next password check from this address.
    server.advanceMs(60_000);
    const result = await runClient('viewer-run', {
      MLFLOW_TRACKING_USERNAME: 'vic',
      MLFLOW_TRACKING_PASSWORD: 'viewer password 1',
    });
    expect(result.ok).toBe(false);
    expect(result.error_code).toBe('PERMISSION_DENIED');
  });
});
