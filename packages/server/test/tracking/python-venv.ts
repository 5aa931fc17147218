import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The test venv that `scripts/python-venv.sh` builds; null when it is missing. */
export const VENV_PYTHON: string | null = existsSync(`${REPO_ROOT}.venv-test/bin/python`)
  ? `${REPO_ROOT}.venv-test/bin/python`
  : null;

/** Folder with the MLflow 2.x client, put first on PYTHONPATH to run it instead of 3.x. */
export const MLFLOW2_PATH: string | null = existsSync(`${REPO_ROOT}.venv-test/mlflow2/mlflow`)
  ? `${REPO_ROOT}.venv-test/mlflow2`
  : null;

export const VENV_MISSING_MESSAGE =
  'skipping: .venv-test is missing; run `bash scripts/python-venv.sh` to create it';

export interface PythonResult {
  exitCode: number | null;
  output: string;
}

/** Runs a script with the venv's python; kills it after `timeoutMs`. */
export function runPython(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(VENV_PYTHON!, args, {
      cwd: options.cwd,
      env: {
        ...process.env,
        MLFLOW_DISABLE_TELEMETRY: 'true',
        DO_NOT_TRACK: 'true',
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
        MPLBACKEND: 'Agg',
        GIT_PYTHON_REFRESH: 'quiet',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}
