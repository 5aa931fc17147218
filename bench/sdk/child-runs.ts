import { fork } from 'node:child_process';
import os from 'node:os';
import { loadAverageText } from './report.ts';

/** Returns the positive integer of `--name=value`, or `fallback` when the argument is absent. */
export function numberArgument(name: string, fallback: number): number {
  const argument = process.argv.find((entry) => entry.startsWith(`--${name}=`));
  const value = argument === undefined ? fallback : Number(argument.split('=')[1]);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive integer, got ${argument}`);
  return value;
}

/** Returns true in a child process that a bench started with `--child=<name>`. */
export function isChild(): boolean {
  return process.argv.some((entry) => entry.startsWith('--child='));
}

/**
 * Runs `script` as a child process with `--expose-gc` and resolves with the
 * first message it sends; rejects when it exits before sending one.
 */
export function runChildProcess<T>(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const child = fork(script, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, '--expose-gc'],
    env,
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) =>
      reject(new Error(`the child ${args.join(' ')} exited with code ${code} before reporting`)),
    );
  });
}

/** Sends a child's report to its parent, or prints it as JSON when the child was started by hand, then exits. */
export function reportAndExit(report: unknown): never {
  if (process.send === undefined) console.log(JSON.stringify(report));
  else process.send(report);
  process.exit(0);
}

/** Returns a line with the Node version, the CPU, and the load average at the start and now. */
export function machineLine(startLoad: string, startedMs: number): string {
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(0);
  return `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} CPUs; load average ${startLoad} at the start, ${loadAverageText()} at the end; ${seconds} s`;
}

/**
 * Returns the names listed by `--option=a,b`, in the order of `allowed`, or
 * all of `allowed` when the argument is absent. Throws on a name not in `allowed`.
 */
export function namesArgument<T extends string>(option: string, allowed: readonly T[]): T[] {
  const argument = process.argv.find((entry) => entry.startsWith(`--${option}=`));
  if (argument === undefined) return [...allowed];
  const names = argument.slice(option.length + 3).split(',');
  const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(
      `--${option} has unknown names ${unknown.join(', ')}; choose from ${allowed.join(', ')}`,
    );
  return allowed.filter((name) => names.includes(name));
}
