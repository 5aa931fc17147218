import type { DuckDBInstance } from '@duckdb/node-api';
import type { Logger } from 'pino';
import { openDuckDbAuthStore } from '../store/duckdb/auth/duckdb-auth-store.ts';
import { createAuthContext, type AuthContext } from './auth-context.ts';
import { AUTH_DEFAULTS, type AuthSettings } from './auth-settings.ts';
import { DEFAULT_PROJECT_ID } from './request-scope.ts';

export interface AuthOptions {
  /** Require credentials on every port. Default false. */
  enabled?: boolean;
  /** Listen on a non-loopback address without auth. Default false. */
  allowUnauthenticatedNetwork?: boolean;
  /** Password of the first admin, created on a start with auth on and no users (FOGHORN_ADMIN_PASSWORD). */
  bootstrapAdminPassword?: string;
  /** User name of that first admin. Default `admin`. */
  bootstrapAdminUsername?: string;
  /** Overrides of the limits and lifetimes in AUTH_DEFAULTS. */
  settings?: Partial<Omit<AuthSettings, 'enabled' | 'secureCookies'>>;
}

/** Opens the auth tables, creates the default project and, when asked, the first admin. */
export async function openAuth(
  instance: DuckDBInstance,
  options: AuthOptions,
  publicUrl: string | undefined,
  logger: Logger,
  now: () => number,
): Promise<AuthContext> {
  const settings: AuthSettings = {
    ...AUTH_DEFAULTS,
    ...options.settings,
    enabled: options.enabled === true,
    secureCookies: publicUrl?.startsWith('https://') === true,
  };
  const store = await openDuckDbAuthStore(instance);
  const context = createAuthContext(store, settings, logger, now);
  await context.admin.ensureDefaultProject();
  await store.deleteExpiredSessions(now());
  if (settings.enabled) await bootstrapAdmin(context, options);
  return context;
}

async function bootstrapAdmin(context: AuthContext, options: AuthOptions): Promise<void> {
  if ((await context.store.countUsers()) > 0) return;
  const username = options.bootstrapAdminUsername ?? 'admin';
  if (options.bootstrapAdminPassword === undefined || options.bootstrapAdminPassword === '') {
    context.logger.warn(
      'auth is on but no user exists; set FOGHORN_ADMIN_PASSWORD on start, or run "foghorn users create --admin" with the server stopped',
    );
    return;
  }
  await context.admin.createUser({
    username,
    password: options.bootstrapAdminPassword,
    projectId: DEFAULT_PROJECT_ID,
    role: 'admin',
    canReadContent: true,
  });
  await context.audit.record({
    actor: 'bootstrap',
    action: 'users.change',
    outcome: 'success',
    target: username,
    detail: { role: 'admin' },
  });
  context.logger.info(
    { username },
    `created the first admin "${username}" from FOGHORN_ADMIN_PASSWORD`,
  );
}
