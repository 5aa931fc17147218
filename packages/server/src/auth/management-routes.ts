import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { ApiToken, IngestKey } from '../store/auth-store.ts';
import type { AuthContext } from './auth-context.ts';
import { ROLES } from './permissions.ts';
import { requestScope } from './request-scope.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

const projectBody = z
  .object({ id: z.string().min(1).max(63), name: z.string().max(200).default('') })
  .strict();
const keyBody = z
  .object({
    name: z.string().min(1).max(200),
    ratePerSecond: z.number().positive().max(100_000).optional(),
    maxBodyBytes: z.number().int().min(1024).optional(),
    attribution: z
      .object({
        tenant: z.string().min(1).max(200).optional(),
        feature: z.string().min(1).max(200).optional(),
        environment: z.string().min(1).max(200).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const userBody = z
  .object({
    username: z.string().min(1).max(128),
    password: z.string().min(1).max(1024),
    role: z.enum(ROLES),
    canReadContent: z.boolean().default(false),
  })
  .strict();
const roleBody = z
  .object({ role: z.enum(ROLES), canReadContent: z.boolean().default(false) })
  .strict();
const tokenBody = z
  .object({
    name: z.string().min(1).max(200),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown, example: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidRequestError(
    `${issue.path.join('.') || 'body'} is invalid: ${issue.message}; send JSON ${example}`,
  );
}

function publicKey(key: IngestKey): Record<string, unknown> {
  const { secretSha256: _digest, ...rest } = key;
  return rest;
}

function publicToken(token: ApiToken): Record<string, unknown> {
  const { secretSha256: _digest, ...rest } = token;
  return rest;
}

async function currentUserId(
  context: AuthContext,
  request: FastifyRequest,
): Promise<{ id: string; username: string }> {
  const userId = requestScope(request).userId;
  const user = userId === null ? null : await context.store.getUser(userId);
  if (user === null)
    throw new InvalidRequestError(
      'API tokens belong to users; with auth off, create them with "foghorn tokens create"',
    );
  return user;
}

function registerTokenRoutes(app: FastifyInstance, context: AuthContext): void {
  app.get('/api/v1/auth/tokens', async (request) => {
    const user = await currentUserId(context, request);
    return { tokens: (await context.store.listApiTokens(user.id)).map(publicToken) };
  });
  app.post('/api/v1/auth/tokens', async (request, reply) => {
    const input = parse(tokenBody, request.body, '{"name", "expiresInDays"?}');
    const user = await currentUserId(context, request);
    const expiresAt =
      input.expiresInDays === undefined ? null : context.now() + input.expiresInDays * DAY_MS;
    const created = await context.admin.createApiToken(
      user.username,
      requestScope(request).projectId,
      input.name,
      expiresAt,
    );
    return reply.code(201).send({ token: created.secret, ...publicToken(created.record) });
  });
  app.delete('/api/v1/auth/tokens/:id', async (request) => {
    const user = await currentUserId(context, request);
    const { id } = request.params as { id: string };
    if (!(await context.store.revokeApiToken(id, user.id, context.now())))
      throw new NotFoundError(`API token ${id} was not found among your active tokens`);
    return { revoked: id };
  });
}

function registerKeyRoutes(app: FastifyInstance, context: AuthContext): void {
  app.get('/api/v1/auth/keys', async (request) => ({
    keys: (await context.store.listIngestKeys(requestScope(request).projectId)).map(publicKey),
  }));
  app.post('/api/v1/auth/keys', async (request, reply) => {
    const input = parse(
      keyBody,
      request.body,
      '{"name", "ratePerSecond"?, "maxBodyBytes"?, "attribution"?: {"tenant"?, "feature"?, "environment"?}}',
    );
    const created = await context.admin.createIngestKey({
      projectId: requestScope(request).projectId,
      ...input,
    });
    return reply.code(201).send({ key: created.secret, ...publicKey(created.record) });
  });
  app.delete('/api/v1/auth/keys/:id', async (request) => {
    const { id } = request.params as { id: string };
    if (!(await context.store.revokeIngestKey(id, requestScope(request).projectId, context.now())))
      throw new NotFoundError(`ingest key ${id} was not found among this project's active keys`);
    return { revoked: id };
  });
}

function registerUserRoutes(app: FastifyInstance, context: AuthContext): void {
  app.get('/api/v1/auth/users', async (request) => {
    const projectId = requestScope(request).projectId;
    const users = [];
    for (const user of await context.store.listUsers()) {
      const membership = (await context.store.membershipsOf(user.id)).find(
        (entry) => entry.projectId === projectId,
      );
      if (membership !== undefined)
        users.push({
          username: user.username,
          role: membership.role,
          canReadContent: membership.canReadContent,
        });
    }
    return { users };
  });
  app.post('/api/v1/auth/users', async (request, reply) => {
    const input = parse(
      userBody,
      request.body,
      '{"username", "password", "role", "canReadContent"?}',
    );
    await context.admin.createUser({ ...input, projectId: requestScope(request).projectId });
    return reply
      .code(201)
      .send({ username: input.username, role: input.role, canReadContent: input.canReadContent });
  });
  app.put('/api/v1/auth/users/:username/role', async (request) => {
    const { username } = request.params as { username: string };
    const input = parse(roleBody, request.body, '{"role", "canReadContent"?}');
    await context.admin.grant(
      username,
      requestScope(request).projectId,
      input.role,
      input.canReadContent,
    );
    return { username, ...input };
  });
}

function registerProjectRoutes(app: FastifyInstance, context: AuthContext): void {
  app.get('/api/v1/auth/projects', async () => ({ projects: await context.store.listProjects() }));
  app.post('/api/v1/auth/projects', async (request, reply) => {
    const input = parse(projectBody, request.body, '{"id", "name"?}');
    await context.admin.createProject(input.id, input.name);
    // The creator administers the new project, so it is reachable without the CLI.
    const userId = requestScope(request).userId;
    const creator = userId === null ? null : await context.store.getUser(userId);
    if (creator !== null) await context.admin.grant(creator.username, input.id, 'admin', true);
    return reply.code(201).send({ id: input.id, name: input.name || input.id });
  });
}

/**
 * Registers the management API under /api/v1/auth: API tokens of the caller,
 * and for admins the project's ingest keys, users and roles, and projects.
 * Every call acts on the caller's project; created secrets are returned once.
 */
export function registerManagementRoutes(app: FastifyInstance, context: AuthContext): void {
  registerTokenRoutes(app, context);
  registerKeyRoutes(app, context);
  registerUserRoutes(app, context);
  registerProjectRoutes(app, context);
}
