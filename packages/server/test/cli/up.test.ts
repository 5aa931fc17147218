import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FOGHORN_BIN, spawnFoghornUp } from '../helpers/spawn-foghorn.ts';

const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [FOGHORN_BIN, ...args], {
      encoding: 'utf8',
      env,
      stdio: 'pipe',
    });
    return { code: 0, stdout, stderr: '' };
  } catch (error: any) {
    return { code: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}

describe('foghorn CLI', () => {
  it('up --help lists every option with its default', () => {
    const { code, stdout } = runCli(['up', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--port <value>');
    expect(stdout).toContain('(default: 4000, env FOGHORN_PORT)');
    expect(stdout).toContain('(default: 4318, env FOGHORN_OTLP_HTTP_PORT)');
    expect(stdout).toContain('(default: ./foghorn-data, env FOGHORN_DATA_DIR)');
    expect(stdout).toContain('(default: 127.0.0.1, env FOGHORN_HOST)');
    expect(stdout).toContain('--demo');
  });

  it('rejects an unknown option with the list of known ones', () => {
    const { code, stderr } = runCli(['up', '--colour', 'red']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option "--colour"');
    expect(stderr).toContain('--port');
  });

  it('rejects an invalid port', () => {
    const { code, stderr } = runCli(['up', '--port', 'http']);
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be an integer of at least 0, got "http"');
  });

  it('rejects an unparsable memory limit', () => {
    const { code, stderr } = runCli(['up', '--memory-limit', 'half']);
    expect(code).toBe(2);
    expect(stderr).toContain('--memory-limit "half" is not a memory size');
  });

  it('gives DuckDB the memory limit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-cli-'));
    dataDirs.push(dataDir);
    const foghorn = await spawnFoghornUp(dataDir, { env: { FOGHORN_MEMORY_LIMIT: '300MiB' } });
    // DuckDB's own report of the setting, logged at startup.
    expect(foghorn.stderr()).toContain('DuckDB may use up to 300.0 MiB of memory (--memory-limit)');
    expect(await foghorn.stop()).toBe(0);
  });

  it('up creates its data dir, serves /healthz and stops on SIGTERM', async () => {
    const parentDir = mkdtempSync(join(tmpdir(), 'foghorn-cli-'));
    dataDirs.push(parentDir);
    const dataDir = join(parentDir, 'not', 'yet', 'there');
    const foghorn = await spawnFoghornUp(dataDir);
    expect(foghorn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${foghorn.url}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(await foghorn.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'foghorn.duckdb'))).toBe(true);
  });

  it('takes the port from FOGHORN_PORT', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-cli-'));
    dataDirs.push(dataDir);
    const foghorn = await spawnFoghornUp(dataDir, { env: { FOGHORN_PORT: String(port) } });
    expect(foghorn.url).toBe(`http://127.0.0.1:${port}`);
    expect(await foghorn.stop()).toBe(0);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}
