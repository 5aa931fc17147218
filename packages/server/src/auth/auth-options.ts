import type { OptionSpec } from '../cli/options.ts';
import type { AuthOptions } from './open-auth.ts';

/** Environment variable holding the first admin's password, read on a start with no users. */
export const ADMIN_PASSWORD_ENV = 'FOGHORN_ADMIN_PASSWORD';

/** Auth options of `foghorn up`. */
export const AUTH_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'auth',
    env: 'FOGHORN_AUTH',
    kind: 'boolean',
    defaultValue: false,
    description:
      'Require an ingest key on the OTLP ports and a login or API token on the API and dashboard',
  },
  {
    name: 'allow-unauthenticated-network',
    env: 'FOGHORN_ALLOW_UNAUTHENTICATED_NETWORK',
    kind: 'boolean',
    defaultValue: false,
    description:
      'Listen on a non-loopback --host without auth, for a proxy in front that authenticates',
  },
  {
    name: 'admin-username',
    env: 'FOGHORN_ADMIN_USERNAME',
    kind: 'string',
    defaultValue: 'admin',
    description: `User name of the first admin, created from ${ADMIN_PASSWORD_ENV} when auth is on and no user exists`,
  },
]);

/** Builds the auth options of `foghorn up` from parsed options and the environment. */
export function authFromOptions(
  options: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv,
): AuthOptions {
  return {
    enabled: options.auth === true,
    allowUnauthenticatedNetwork: options['allow-unauthenticated-network'] === true,
    bootstrapAdminUsername: String(options['admin-username'] ?? 'admin'),
    bootstrapAdminPassword: env[ADMIN_PASSWORD_ENV],
  };
}
