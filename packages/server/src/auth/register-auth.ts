import type { FastifyInstance } from 'fastify';
import { registerAuditRoutes } from '../audit/audit-routes.ts';
import type { AuthContext } from './auth-context.ts';
import { installAuthHooks, type RouteEntry } from './http-auth-hooks.ts';
import { registerManagementRoutes } from './management-routes.ts';
import { registerSessionRoutes } from './session-routes.ts';

/**
 * Adds auth to the main app: hooks on every route, then the login, session,
 * management and audit routes. Call it before any other route is registered.
 */
export function registerMainAuth(
  app: FastifyInstance,
  context: AuthContext,
  routes: RouteEntry[],
): void {
  installAuthHooks(app, context, routes);
  registerSessionRoutes(app, context);
  registerManagementRoutes(app, context);
  registerAuditRoutes(app, context.audit, context.now);
}

/** Adds ingest-key checks to the dedicated OTLP/HTTP app. */
export function registerOtlpAuth(
  app: FastifyInstance,
  context: AuthContext,
  routes: RouteEntry[],
): void {
  installAuthHooks(app, context, routes);
}
