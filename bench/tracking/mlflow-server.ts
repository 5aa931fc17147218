import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Picks a free 127.0.0.1 port by binding port 0 and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface MlflowServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `mlflow server` from the venv on a SQLite file and waits up to `startTimeoutMs` for /health. */
export async function startMlflowServer(
  mlflowBin: string,
  dataDir: string,
  startTimeoutMs: number,
): Promise<MlflowServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    mlflowBin,
    [
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--backend-store-uri',
      `sqlite:///${dataDir}/mlflow.db`,
      '--artifacts-destination',
      `${dataDir}/mlartifacts`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true' },
    },
  );
  let stderr = '';
  child.stderr!.on(
    'data',
    (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`mlflow server exited with ${child.exitCode}:\n${stderr}`);
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) {
      const stop = (): Promise<void> =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      return { url, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(
    `mlflow server did not return 200 on /health within ${startTimeoutMs} ms:\n${stderr}`,
  );
}
