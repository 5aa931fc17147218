import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Peer SDKs that are too large for the workspace's dependencies (Traceloop's
 * `node-server-sdk` brings about 250 packages) live in `bench/sdk/peers`, a
 * project of their own with its own lockfile, installed on first use.
 */
const PEERS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peers');
const requireFromPeers = createRequire(path.join(PEERS_DIR, 'package.json'));

/** The package whose presence shows that the peers folder is installed. */
const MARKER = path.join(
  PEERS_DIR,
  'node_modules',
  '@traceloop',
  'node-server-sdk',
  'package.json',
);

/** Installs the peers folder from its lockfile when it is not installed yet. */
export function ensurePeersInstalled(): void {
  if (existsSync(MARKER)) return;
  console.log(`installing the peer SDKs into ${PEERS_DIR} (npm ci)`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: PEERS_DIR,
    stdio: 'inherit',
  });
  if (result.status !== 0 || !existsSync(MARKER)) {
    throw new Error(
      `npm ci in ${PEERS_DIR} failed with exit code ${result.status ?? result.signal}; run it in that folder to see the error`,
    );
  }
}

/** Loads a package of the peers folder with its own dependencies. */
export function requirePeer<T>(name: string): T {
  return requireFromPeers(name) as T;
}
