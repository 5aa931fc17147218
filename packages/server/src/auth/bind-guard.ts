import { isIP } from 'node:net';
import { ConfigError } from '../errors.ts';

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare.startsWith('::ffff:127.');
}

/**
 * Throws when Foghorn would serve data without credentials on an address
 * other machines can reach. All three ports share `host`, so one check covers them.
 */
export function assertSafeBinding(
  host: string,
  authEnabled: boolean,
  allowUnauthenticatedNetwork: boolean,
): void {
  if (authEnabled || allowUnauthenticatedNetwork || isLoopbackHost(host)) return;
  throw new ConfigError(
    `--host ${host} is rejected without auth: anyone who can reach this address could read and send data. ` +
      'Turn auth on with --auth (FOGHORN_AUTH=1), listen on 127.0.0.1, or pass --allow-unauthenticated-network if a proxy in front already authenticates',
  );
}

/** Describes, for the startup log, how requests are checked. */
export function authModeMessage(host: string, authEnabled: boolean): string {
  if (authEnabled)
    return 'auth is on: ingest needs an ingest key, the API and dashboard need a login or API token';
  if (isLoopbackHost(host))
    return `auth is off: listening on ${host} (loopback) only, every local request has full access`;
  return `auth is off and listening on ${host} (--allow-unauthenticated-network): every request that reaches it has full access`;
}
