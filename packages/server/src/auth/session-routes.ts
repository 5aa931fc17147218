import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidRequestError } from '../errors.ts';
import type { AuthContext } from './auth-context.ts';
import { AuthFailure } from './auth-failure.ts';
import { sendAuthFailure } from './auth-replies.ts';
import { readCredentials } from './credentials.ts';
import { MAX_PASSWORD_CHARS } from './password-hash.ts';
import { requestScope } from './request-scope.ts';
import { randomId, sha256Hex } from './secrets.ts';
import { clearedSessionCookie, sessionCookie } from './session-cookie.ts';

const loginBody = z
  .object({
    username: z.string().min(1).max(128),
    password: z.string().min(1).max(MAX_PASSWORD_CHARS),
    projectId: z.string().min(1).max(63).optional(),
  })
  .strict();

function parseLogin(body: unknown): z.infer<typeof loginBody> {
  const parsed = loginBody.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidRequestError(
    `${issue.path.join('.') || 'body'} is invalid: ${issue.message}; send JSON {"username", "password", "projectId"?}`,
  );
}

async function login(
  context: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  if (!context.settings.enabled)
    throw new InvalidRequestError(
      'auth is off, so there is nothing to log in to; start with --auth to turn it on',
    );
  const input = parseLogin(request.body);
  const user = await context.passwords.verify(input.username, input.password, request.ip, 'form');
  const memberships = await context.store.membershipsOf(user.id);
  const projectId = input.projectId ?? memberships[0]?.projectId;
  if (projectId === undefined)
    throw new AuthFailure('forbidden', `user "${user.username}" has no role in any project`);
  const scope = await context.authenticator.scopeFor(user, projectId, `user:${user.username}`);
  const sessionId = randomId(32);
  const csrfToken = randomId(24);
  const nowUnixMs = context.now();
  await context.store.createSession({
    idSha256: sha256Hex(sessionId),
    userId: user.id,
    projectId,
    csrfToken,
    createdAtUnixMs: nowUnixMs,
    expiresAtUnixMs: nowUnixMs + context.settings.sessionTtlMs,
  });
  reply.header(
    'set-cookie',
    sessionCookie(
      sessionId,
      Math.floor(context.settings.sessionTtlMs / 1000),
      context.settings.secureCookies,
    ),
  );
  return {
    username: user.username,
    projectId,
    role: scope.role,
    canReadContent: scope.canReadContent,
    csrfToken,
  };
}

async function sessionState(context: AuthContext, request: FastifyRequest): Promise<unknown> {
  if (!context.settings.enabled) {
    const scope = requestScope(request);
    return {
      authEnabled: false,
      authenticated: true,
      username: null,
      projectId: scope.projectId,
      role: scope.role,
      canReadContent: true,
      csrfToken: null,
      projects: [],
    };
  }
  const credentials = readCredentials(request.headers, []);
  try {
    const identity = await context.authenticator.user(credentials, request.ip, false);
    const username = identity.scope.principal.startsWith('user:')
      ? identity.scope.principal.slice(5)
      : null;
    const userId = identity.session?.userId ?? null;
    const projects =
      userId === null
        ? []
        : (await context.store.membershipsOf(userId)).map((entry) => entry.projectId);
    return {
      authEnabled: true,
      authenticated: true,
      username,
      projectId: identity.scope.projectId,
      role: identity.scope.role,
      canReadContent: identity.scope.canReadContent,
      csrfToken: identity.session?.csrfToken ?? null,
      projects,
    };
  } catch (error) {
    if (!(error instanceof AuthFailure)) throw error;
    return {
      authEnabled: true,
      authenticated: false,
      username: null,
      projectId: null,
      role: null,
      canReadContent: false,
      csrfToken: null,
      projects: [],
    };
  }
}

async function logout(
  context: AuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const sessionId = readCredentials(request.headers, []).sessionId;
  if (sessionId !== null) await context.store.deleteSession(sha256Hex(sessionId));
  const scope = requestScope(request);
  await context.audit.record({
    actor: scope.principal,
    action: 'auth.logout',
    outcome: 'success',
    projectId: scope.projectId,
    address: request.ip,
  });
  reply.header('set-cookie', clearedSessionCookie(context.settings.secureCookies));
  return { loggedOut: true };
}

/**
 * Registers `POST /api/v1/auth/login` (JSON only, so a cross-site form
 * cannot post it), `POST /api/v1/auth/logout` and `GET /api/v1/auth/session`,
 * which the dashboard reads to decide whether to show the login page.
 */
export function registerSessionRoutes(app: FastifyInstance, context: AuthContext): void {
  app.post('/api/v1/auth/login', async (request, reply) => {
    try {
      return await login(context, request, reply);
    } catch (error) {
      if (error instanceof AuthFailure) return sendAuthFailure(error, 'api', request, reply);
      throw error;
    }
  });
  app.post('/api/v1/auth/logout', (request, reply) => logout(context, request, reply));
  app.get('/api/v1/auth/session', (request) => sessionState(context, request));
}
