import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPTS_DIR = fileURLToPath(new URL('./scripts/', import.meta.url));

/** Building both venvs without a pip cache took about 3 minutes on 2 cores; reusing one takes under a second. */
export const VENV_TIMEOUT_MS = 600_000;
const SCRIPT_TIMEOUT_MS = 60_000;

export type OtelVenv = 'sdk' | 'traceloop';

const VENV_DIRS: Readonly<Record<OtelVenv, string>> = {
  sdk: '.venv-otel',
  traceloop: '.venv-otel-traceloop',
};

/** True when `python3` runs; the Python tests skip only when it does not. */
export const HAS_PYTHON3 = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;

export const PYTHON3_MISSING_MESSAGE =
  'skipping the Python instrumentation tests: python3 is not on PATH; install Python 3.11 to run them';

export interface ProcessResult {
  exitCode: number | null;
  output: string;
}

/** Runs a command, collecting stdout and stderr together; kills it after `timeoutMs`. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}

/**
 * Builds the venv with `scripts/python-otel-venv.sh`, or reuses it when its pin
 * file is unchanged, and returns its python. Throws with pip's output when the
 * build fails, for example without network access.
 */
export async function ensureOtelVenv(venv: OtelVenv): Promise<string> {
  const result = await run(
    'bash',
    ['scripts/python-otel-venv.sh', venv],
    process.env,
    VENV_TIMEOUT_MS,
  );
  if (result.exitCode !== 0) {
    throw new Error(
      `scripts/python-otel-venv.sh ${venv} exited with ${result.exitCode}:\n${result.output}`,
    );
  }
  return join(REPO_ROOT, VENV_DIRS[venv], 'bin', 'python');
}

/** Builds a script's environment: the test's own without OTEL_* and TRACELOOP_* settings, plus `env`. */
function scriptEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('OTEL_') && !name.startsWith('TRACELOOP_'),
  );
  return {
    ...Object.fromEntries(inherited),
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    TRACELOOP_TELEMETRY: 'false',
    ...env,
  };
}

/**
 * Runs a script from `scripts/` with `--report <file>` appended and returns the
 * JSON it wrote there. Throws with the script's output when it fails.
 */
export async function runReportScript<T>(
  python: string,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<T> {
  const workDir = mkdtempSync(join(tmpdir(), 'foghorn-python-'));
  try {
    const reportPath = join(workDir, 'report.json');
    const result = await run(
      python,
      [join(SCRIPTS_DIR, script), ...args, '--report', reportPath],
      scriptEnv(env),
      SCRIPT_TIMEOUT_MS,
    );
    if (result.exitCode !== 0) {
      throw new Error(`${script} exited with ${result.exitCode}:\n${result.output}`);
    }
    return JSON.parse(readFileSync(reportPath, 'utf8')) as T;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
