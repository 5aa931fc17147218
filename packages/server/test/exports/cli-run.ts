import { spawnSync } from 'node:child_process';
import { FOGHORN_BIN } from '../helpers/spawn-foghorn.ts';

/** Runs the real `foghorn` CLI and returns its exit code and output. */
export function runFoghorn(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync(process.execPath, [FOGHORN_BIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
