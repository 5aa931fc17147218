import type { Logger } from 'pino';
import { AuditLog } from '../audit/audit-log.ts';
import type { AuthStore } from '../store/auth-store.ts';
import { AuthAdmin } from './auth-admin.ts';
import type { AuthSettings } from './auth-settings.ts';
import { Authenticator } from './authenticator.ts';
import { PasswordLogin } from './password-login.ts';

/** Everything the HTTP and gRPC edges need to authenticate, authorize and audit. */
export interface AuthContext {
  settings: AuthSettings;
  store: AuthStore;
  authenticator: Authenticator;
  passwords: PasswordLogin;
  admin: AuthAdmin;
  audit: AuditLog;
  logger: Logger;
  now: () => number;
}

export function createAuthContext(
  store: AuthStore,
  settings: AuthSettings,
  logger: Logger,
  now: () => number,
): AuthContext {
  const audit = new AuditLog(store, logger, now);
  const passwords = new PasswordLogin(store, audit, settings, now);
  return {
    settings,
    store,
    authenticator: new Authenticator(store, passwords, settings, now),
    passwords,
    admin: new AuthAdmin(store, now),
    audit,
    logger,
    now,
  };
}
