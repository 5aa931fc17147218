import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthFailure } from './auth-failure.ts';
import type { AuthContext } from './auth-context.ts';
import { sendAuthFailure } from './auth-replies.ts';
import { maskContent } from './content-mask.ts';
import { readCredentials } from './credentials.ts';
import { minimumRoleFor } from './permissions.ts';
import { requestScope, setRequestScope } from './request-scope.ts';
import { routePolicy, type RoutePolicy } from './route-policy.ts';
import { constantTimeEqual } from './secrets.ts';

/** One registered route, as Fastify's route table lists it. */
export interface RouteEntry {
  method: string;
  url: string;
}

export const CSRF_HEADER = 'x-foghorn-csrf';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ingestBodyLimits = new WeakMap<FastifyRequest, number>();

function policyOf(request: FastifyRequest): RoutePolicy {
  return routePolicy(request.method, request.routeOptions.url ?? null);
}

function dialectOf(policy: RoutePolicy): 'otlp' | 'mlflow' | 'api' {
  if (policy.kind === 'ingest') return 'otlp';
  return policy.kind === 'mlflow' ? 'mlflow' : 'api';
}

function assertBodyWithin(limitBytes: number, actualBytes: number): void {
  if (actualBytes > limitBytes)
    throw new AuthFailure(
      'too_large',
      `the request body of ${actualBytes} bytes exceeds this ingest key's limit of ${limitBytes} bytes; send smaller batches`,
    );
}

async function authenticateIngest(context: AuthContext, request: FastifyRequest): Promise<void> {
  const credentials = readCredentials(request.headers, context.settings.ingestKeyHeaders);
  const identity = await context.authenticator.ingest(credentials);
  setRequestScope(request, identity.scope);
  if (identity.maxBodyBytes === null) return;
  ingestBodyLimits.set(request, identity.maxBodyBytes);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (Number.isFinite(declared)) assertBodyWithin(identity.maxBodyBytes, declared);
}

/** Rejects cookie-authenticated writes without the session's CSRF token or from another origin. */
function assertSameOrigin(request: FastifyRequest, csrfToken: string): void {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost = '';
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = '';
    }
    if (originHost !== request.headers.host)
      throw new AuthFailure(
        'forbidden',
        `cross-origin request from ${origin} rejected; use the dashboard's own origin`,
      );
  }
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !constantTimeEqual(sent, csrfToken))
    throw new AuthFailure(
      'forbidden',
      `missing or wrong ${CSRF_HEADER} header; send the csrfToken from GET /api/v1/auth/session`,
    );
}

async function authenticateUser(
  context: AuthContext,
  request: FastifyRequest,
  policy: Extract<RoutePolicy, { kind: 'mlflow' | 'api' }>,
): Promise<void> {
  const credentials = readCredentials(request.headers, []);
  // NOTE: behind a reverse proxy request.ip is the proxy, so address throttling groups all clients.
  const identity = await context.authenticator.user(
    credentials,
    request.ip,
    policy.kind === 'mlflow',
  );
  if (identity.session !== null && !READ_METHODS.has(request.method))
    assertSameOrigin(request, identity.session.csrfToken);
  setRequestScope(request, identity.scope);
  assertAllowed(request, policy);
}

/** Checks the permission a route needs against the scope already set on the request. */
function assertAllowed(
  request: FastifyRequest,
  policy: Extract<RoutePolicy, { kind: 'mlflow' | 'api' }>,
): void {
  const scope = requestScope(request);
  if (!scope.permissions.includes(policy.permission)) {
    throw new AuthFailure(
      'forbidden',
      `${request.method} ${request.routeOptions.url ?? request.url} needs the ${minimumRoleFor(policy.permission)} role; ${scope.principal} is ${scope.role ?? 'no user'} in project "${scope.projectId}"`,
    );
  }
  const text = (request.query as Record<string, unknown> | undefined)?.text;
  if (request.routeOptions.url === '/api/v1/traces' && text !== undefined && !scope.canReadContent)
    throw new AuthFailure(
      'forbidden',
      'searching trace text can reveal prompt and completion content; it needs the content permission',
    );
}

async function onRequest(
  context: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const policy = policyOf(request);
  if (!context.settings.enabled || policy.kind === 'public') return undefined;
  try {
    if (policy.kind === 'ingest') await authenticateIngest(context, request);
    else await authenticateUser(context, request, policy);
    return undefined;
  } catch (error) {
    if (!(error instanceof AuthFailure)) throw error;
    return sendAuthFailure(error, dialectOf(policy), request, reply);
  }
}

async function auditResponse(
  context: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const policy = policyOf(request);
  if (policy.kind !== 'api' || policy.audit === null || READ_METHODS.has(request.method)) return;
  if (reply.statusCode === 401) return;
  const scope = requestScope(request);
  await context.audit.record({
    actor: scope.principal,
    action: policy.audit,
    outcome: reply.statusCode < 400 ? 'success' : 'failure',
    projectId: scope.projectId,
    target: request.url.split('?')[0]!,
    address: request.ip,
    detail: { method: request.method, status: reply.statusCode },
  });
}

async function guardContent(
  context: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  const policy = policyOf(request);
  if (policy.kind !== 'api' || !policy.content || reply.statusCode >= 400) return payload;
  const scope = requestScope(request);
  if (!scope.canReadContent) return maskContent(payload);
  await context.audit.record({
    actor: scope.principal,
    action: 'content.read',
    outcome: 'success',
    projectId: scope.projectId,
    target: request.url.split('?')[0]!,
    address: request.ip,
  });
  return payload;
}

/**
 * Installs authentication, authorization, content masking and auditing on an
 * app. Call it before any route is registered: it also copies every route into
 * `routes`, so tests can check that each one is covered.
 */
export function installAuthHooks(
  app: FastifyInstance,
  context: AuthContext,
  routes: RouteEntry[],
): void {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      routes.push({ method: String(method), url: route.url });
  });
  app.addHook('onRequest', (request, reply) => onRequest(context, request, reply));
  app.addHook('preHandler', async (request, reply) => {
    const limit = ingestBodyLimits.get(request);
    if (limit === undefined || !Buffer.isBuffer(request.body)) return undefined;
    try {
      assertBodyWithin(limit, request.body.length);
      return undefined;
    } catch (error) {
      return sendAuthFailure(error as AuthFailure, 'otlp', request, reply);
    }
  });
  app.addHook('preSerialization', (request, reply, payload: unknown) =>
    guardContent(context, request, reply, payload),
  );
  app.addHook('onResponse', (request, reply) => auditResponse(context, request, reply));
}
