import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RULES_DIR_NAME } from '../rule-registry.ts';
import { formatRuleFileProblem, parseRuleFiles } from '../rule-file.ts';

/** Output streams of a command; the CLI passes process.stdout and process.stderr. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

export const ALERTS_USAGE = `Usage: foghorn alerts <subcommand>

Subcommands:
  check [FILES]           Check rule files; without FILES, every *.yaml under
                          <data-dir>/alerts (--data-dir, default ./foghorn-data).
                          Exits 0 when all rules are valid, 1 otherwise.
  test RULE --url URL     Ask the Foghorn server at URL to send a test notification
                          for RULE through its route. Exits 0 when a receiver got it.`;

const DEFAULT_DATA_DIR = './foghorn-data';
const REQUEST_TIMEOUT_MS = 30_000;

/** Runs `foghorn alerts ...` and returns the exit code: 0 success, 1 failure, 2 usage error. */
export async function runAlertsCommand(
  argv: readonly string[],
  output: CommandOutput,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || subcommand === 'help') {
    output.out(`${ALERTS_USAGE}\n`);
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand === 'check') return checkCommand(rest, output, env);
  if (subcommand === 'test') return testCommand(rest, output, env);
  output.err(`foghorn alerts: unknown subcommand "${subcommand}"\n\n${ALERTS_USAGE}\n`);
  return 2;
}

function checkCommand(
  argv: readonly string[],
  output: CommandOutput,
  env: NodeJS.ProcessEnv,
): number {
  const { positional, options } = splitArguments(argv, ['data-dir']);
  const unknown = Object.keys(options).find((name) => name !== 'data-dir');
  if (unknown !== undefined) {
    output.err(`foghorn alerts check: unknown option "--${unknown}"; known options: --data-dir\n`);
    return 2;
  }
  const files =
    positional.length > 0
      ? positional
      : ruleFilesIn(options['data-dir'] ?? env.FOGHORN_DATA_DIR ?? DEFAULT_DATA_DIR);
  if (files.length === 0) {
    output.err(
      'foghorn alerts check: no rule files found; name the files, or pass --data-dir with an alerts folder\n',
    );
    return 1;
  }
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    for (const file of missing) output.err(`FAILED: ${file}: file not found\n`);
    return 1;
  }
  const result = parseRuleFiles(files.map((path) => ({ path, text: readFileSync(path, 'utf8') })));
  if (result.problems.length > 0) {
    for (const problem of result.problems)
      output.err(`FAILED: ${formatRuleFileProblem(problem)}\n`);
    output.err(`${result.problems.length} problem(s) in ${files.length} file(s)\n`);
    return 1;
  }
  output.out(`SUCCESS: ${result.rules.length} rules found in ${files.length} file(s)\n`);
  return 0;
}

async function testCommand(
  argv: readonly string[],
  output: CommandOutput,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { positional, options } = splitArguments(argv, ['url']);
  const ruleId = positional[0];
  const baseUrl = options.url ?? env.FOGHORN_URL;
  if (ruleId === undefined || positional.length > 1 || baseUrl === undefined) {
    output.err(
      'foghorn alerts test: give one rule id and the server URL, such as: foghorn alerts test latency-p95-high --url http://127.0.0.1:4000\n',
    );
    return 2;
  }
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/alerts/rules/${encodeURIComponent(ruleId)}/test`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    output.err(
      `foghorn alerts test: request to ${url} failed: ${(error as Error).message}; check --url and that Foghorn is running\n`,
    );
    return 1;
  }
  const body = (await response.json().catch(() => null)) as {
    receivers?: string[];
    error?: { message?: string };
  } | null;
  if (!response.ok) {
    output.err(
      `foghorn alerts test: the server answered ${response.status}: ${body?.error?.message ?? 'no error message'}\n`,
    );
    return 1;
  }
  const receivers = body?.receivers ?? [];
  if (receivers.length === 0) {
    output.err(
      `foghorn alerts test: rule ${ruleId} reaches no receiver; add a route for it in alerting.yaml\n`,
    );
    return 1;
  }
  output.out(`sent a test notification for ${ruleId} to: ${receivers.join(', ')}\n`);
  return 0;
}

function ruleFilesIn(dataDir: string): string[] {
  const folder = join(resolve(dataDir), RULES_DIR_NAME);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => join(folder, name));
}

/** Splits `--name value` and `--name=value` options from positional arguments. */
function splitArguments(
  argv: readonly string[],
  valued: readonly string[],
): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) options[name] = arg.slice(eq + 1);
    else if (valued.includes(name) && argv[i + 1] !== undefined) options[name] = argv[++i]!;
    else options[name] = '';
  }
  return { positional, options };
}
