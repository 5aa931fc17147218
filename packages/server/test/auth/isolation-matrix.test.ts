import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/auth/http-auth-hooks.ts';
import {
  ADMIN_PASSWORD,
  call,
  chatSpanJson,
  login,
  startAuthServer,
  type AuthServer,
} from './auth-server.ts';
import {
  ARTIFACT_REQUESTS,
  MISSING_IDS,
  MLFLOW_REQUESTS,
  OWNER_SECRET,
  REGISTRY_REQUESTS,
  seedTrackingResources,
  withIdsNamed,
  type TrackingIds,
  type TrackingRequest,
} from './tracking-requests.ts';

/** Access a route requires: no credentials, an ingest key, or a user role of at least this level. */
type Access = 'public' | 'ingest' | 'read' | 'write' | 'admin';

/** Every route of the main and OTLP apps. HEAD follows GET; `ANY` covers every method of a catch-all. */
const ROUTES: Readonly<Record<string, Access>> = {
  'GET /healthz': 'public',
  'GET /*': 'public',
  'GET /api/v1/info': 'read',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/auth/session': 'public',
  'POST /api/v1/auth/logout': 'read',
  'GET /api/v1/auth/tokens': 'read',
  'POST /api/v1/auth/tokens': 'read',
  'DELETE /api/v1/auth/tokens/:id': 'read',
  'GET /api/v1/auth/keys': 'admin',
  'POST /api/v1/auth/keys': 'admin',
  'DELETE /api/v1/auth/keys/:id': 'admin',
  'GET /api/v1/auth/users': 'admin',
  'POST /api/v1/auth/users': 'admin',
  'PUT /api/v1/auth/users/:username/role': 'admin',
  'GET /api/v1/auth/projects': 'admin',
  'POST /api/v1/auth/projects': 'admin',
  'GET /api/v1/audit': 'admin',
  'POST /v1/traces': 'ingest',
  'POST /v1/metrics': 'ingest',
  'POST /v1/logs': 'ingest',
  'GET /api/v1/llm/summary': 'read',
  'GET /api/v1/llm/timeseries': 'read',
  'GET /api/v1/llm/cost': 'read',
  'GET /api/v1/llm/cost/projection': 'read',
  'GET /api/v1/llm/dimensions': 'read',
  'GET /api/v1/llm/inflight': 'read',
  'GET /api/v1/llm/ttft': 'read',
  'GET /api/v1/traces': 'read',
  'GET /api/v1/traces/:traceId': 'read',
  'GET /api/v1/privacy/stats': 'read',
  'POST /api/v1/privacy/erasure': 'admin',
  'GET /api/v1/ingest-log/set-aside': 'admin',
  'POST /api/v1/ingest-log/set-aside/retry': 'admin',
  'GET /api/v1/panels': 'read',
  'GET /api/v1/alerts': 'read',
  'GET /api/v1/alerts/history': 'read',
  'GET /api/v1/alerts/rules': 'read',
  'POST /api/v1/alerts/rules': 'write',
  'GET /api/v1/alerts/rules/:id': 'read',
  'PUT /api/v1/alerts/rules/:id': 'write',
  'DELETE /api/v1/alerts/rules/:id': 'write',
  'POST /api/v1/alerts/rules/:id/test': 'write',
  'GET /api/v1/alerts/silences': 'read',
  'POST /api/v1/alerts/silences': 'write',
  'DELETE /api/v1/alerts/silences/:id': 'write',
  'GET /api/v1/alerts/outbox': 'read',
  'GET /api/v1/budgets': 'read',
  'PUT /api/v1/budgets/:tenant': 'admin',
  'DELETE /api/v1/budgets/:tenant': 'admin',
  'POST /api/v1/scores': 'write',
  'GET /api/v1/scores/summary': 'read',
  'GET /api/v1/scores/timeseries': 'read',
  'GET /api/v1/prices/overrides': 'read',
  'PUT /api/v1/prices/overrides': 'admin',
  'GET /api/v1/prices/azure-deployments': 'read',
  'PUT /api/v1/prices/azure-deployments': 'admin',
  'GET /api/v1/prices/resolve': 'read',
  'POST /api/v1/prices/reprice': 'admin',
  'GET /api/v1/registry/policies': 'read',
  'PUT /api/v1/registry/policies': 'admin',
  'DELETE /api/v1/registry/policies': 'admin',
  'GET /api/v1/registry/transitions': 'read',
  'POST /api/v1/registry/transitions': 'write',
  'GET /metrics': 'admin',
};

/** MLflow 2.0 routes, served under both `/api/2.0/mlflow` and `/ajax-api/2.0/mlflow`. */
const MLFLOW_ROUTES: Readonly<Record<string, Access>> = {
  'POST /experiments/create': 'write',
  'GET /experiments/get': 'read',
  'GET /experiments/get-by-name': 'read',
  'GET /experiments/search': 'read',
  'POST /experiments/search': 'read',
  'POST /experiments/update': 'write',
  'POST /experiments/delete': 'write',
  'POST /experiments/restore': 'write',
  'POST /experiments/set-experiment-tag': 'write',
  'POST /experiments/delete-experiment-tag': 'write',
  'POST /runs/create': 'write',
  'GET /runs/get': 'read',
  'POST /runs/update': 'write',
  'POST /runs/delete': 'write',
  'POST /runs/restore': 'write',
  'POST /runs/search': 'read',
  'POST /runs/log-batch': 'write',
  'POST /runs/log-metric': 'write',
  'POST /runs/log-parameter': 'write',
  'POST /runs/set-tag': 'write',
  'POST /runs/delete-tag': 'write',
  'GET /metrics/get-history': 'read',
  'POST /runs/log-inputs': 'write',
  'POST /runs/outputs': 'write',
  'POST /runs/log-model': 'write',
  'GET /artifacts/list': 'read',
  'POST /logged-models': 'write',
  'POST /logged-models/search': 'read',
  'GET /logged-models/:model_id': 'read',
  'PATCH /logged-models/:model_id': 'write',
  'DELETE /logged-models/:model_id': 'write',
  'PATCH /logged-models/:model_id/tags': 'write',
  'DELETE /logged-models/:model_id/tags/:tag_key': 'write',
  'POST /logged-models/:model_id/params': 'write',
  'GET /logged-models/:model_id/artifacts/directories': 'read',
  'POST /registered-models/create': 'write',
  'GET /registered-models/get': 'read',
  'POST /registered-models/rename': 'write',
  'PATCH /registered-models/update': 'write',
  'DELETE /registered-models/delete': 'write',
  'GET /registered-models/search': 'read',
  'GET /registered-models/get-latest-versions': 'read',
  'POST /registered-models/get-latest-versions': 'read',
  'POST /registered-models/set-tag': 'write',
  'DELETE /registered-models/delete-tag': 'write',
  'POST /model-versions/create': 'write',
  'GET /model-versions/get': 'read',
  'PATCH /model-versions/update': 'write',
  'DELETE /model-versions/delete': 'write',
  'GET /model-versions/get-download-uri': 'read',
  'POST /model-versions/transition-stage': 'write',
  'GET /model-versions/search': 'read',
  'POST /model-versions/set-tag': 'write',
  'DELETE /model-versions/delete-tag': 'write',
  'GET /registered-models/alias': 'read',
  'POST /registered-models/alias': 'write',
  'DELETE /registered-models/alias': 'write',
};

/** MLflow 3.0 and artifact routes, each under `/api` and `/ajax-api`. */
const MLFLOW_OTHER_ROUTES: Readonly<Record<string, Access>> = {
  'GET /3.0/mlflow/server-info': 'read',
  'GET /2.0/mlflow-artifacts/artifacts': 'read',
  'GET /2.0/mlflow-artifacts/artifacts/*': 'read',
  'PUT /2.0/mlflow-artifacts/artifacts/*': 'write',
  'DELETE /2.0/mlflow-artifacts/artifacts/*': 'write',
};

/** Catch-alls that return ENDPOINT_NOT_FOUND. Reads need `read`, other methods need `write`. */
const CATCH_ALLS = ['/2.0/mlflow/*', '/3.0/mlflow/*', '/2.0/mlflow-artifacts/*'];

function expectedAccess(route: RouteEntry): Access | undefined {
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  const direct = ROUTES[`${method} ${route.url}`];
  if (direct !== undefined) return direct;
  for (const prefix of ['/api', '/ajax-api']) {
    if (!route.url.startsWith(`${prefix}/`)) continue;
    const rest = route.url.slice(prefix.length);
    if (CATCH_ALLS.includes(rest)) return ['GET', 'OPTIONS'].includes(method) ? 'read' : 'write';
    const other = MLFLOW_OTHER_ROUTES[`${method} ${rest}`];
    if (other !== undefined) return other;
    if (rest.startsWith('/2.0/mlflow/'))
      return MLFLOW_ROUTES[`${method} ${rest.slice('/2.0/mlflow'.length)}`];
  }
  return undefined;
}

function concretePath(url: string): string {
  return url
    .replace(':traceId', '0123456789abcdef0123456789abcdef')
    .replace(/:[a-z_]+/gi, 'x')
    .replace('*', 'x');
}

/**
 * Methods Node's HTTP parser on the server does not accept: the connection
 * closes before any handler runs, so no data can leak through them.
 */
const UNPARSED_METHODS = new Set(['QUERY']);

/** Sends one request with node:http, which allows every method Fastify routes (fetch rejects TRACE). */
function send(server: AuthServer, route: RouteEntry, credential: string | null): Promise<number> {
  const base = new URL(route.url.startsWith('/v1/') ? server.otlpUrl : server.url);
  const headers: Record<string, string> = {};
  if (credential !== null) headers.authorization = `Bearer ${credential}`;
  // Node's parser returns 400 for a DELETE with a chunked body before any route runs, so DELETE sends none.
  const hasBody = !['GET', 'HEAD', 'OPTIONS', 'TRACE', 'DELETE'].includes(route.method);
  if (hasBody) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: base.hostname,
        port: base.port,
        path: concretePath(route.url),
        method: route.method,
        headers,
        agent: false,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', (error) =>
      UNPARSED_METHODS.has(route.method)
        ? resolve(0)
        : reject(new Error(`${route.method} ${route.url}: ${error.message}`)),
    );
    outgoing.end(hasBody ? '{}' : undefined);
  });
}

/** Returns the request naming `ids` for a tracking or registry route, or undefined for other routes. */
function trackingRequest(route: RouteEntry, ids: TrackingIds): TrackingRequest | undefined {
  const registry = REGISTRY_REQUESTS[`${route.method} ${route.url}`];
  if (registry !== undefined) return registry(ids);
  for (const prefix of ['/api', '/ajax-api']) {
    const mlflow =
      MLFLOW_REQUESTS[`${route.method} ${route.url.slice(`${prefix}/2.0/mlflow`.length)}`];
    if (route.url.startsWith(`${prefix}/2.0/mlflow/`) && mlflow !== undefined) {
      const request = mlflow(ids);
      return { ...request, path: `${prefix}/2.0/mlflow${request.path}` };
    }
    const artifact =
      ARTIFACT_REQUESTS[
        `${route.method} ${route.url.slice(`${prefix}/2.0/mlflow-artifacts`.length)}`
      ];
    if (route.url.startsWith(`${prefix}/2.0/mlflow-artifacts/`) && artifact !== undefined) {
      const request = artifact(ids);
      return { ...request, path: `${prefix}/2.0/mlflow-artifacts${request.path}` };
    }
  }
  return undefined;
}

/** Returns whether a route serves tracking data: MLflow 2.0, the artifact proxy or the registry API. */
function isTrackingRoute(route: RouteEntry): boolean {
  if (route.url.startsWith('/api/v1/registry/')) return true;
  if (CATCH_ALLS.some((catchAll) => route.url.endsWith(catchAll))) return false;
  return /^\/(ajax-)?api\/2\.0\/mlflow(-artifacts)?\//.test(route.url);
}

/** Sends a tracking request and returns its status and body text. */
async function sendTracking(
  url: string,
  method: string,
  request: TrackingRequest,
  token: string,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    if (typeof request.body !== 'string') headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${url}${request.path}`, { method, headers, body });
  return { status: response.status, text: await response.text() };
}

const RANK: Readonly<Record<Access, number>> = {
  public: 0,
  ingest: 0,
  read: 1,
  write: 2,
  admin: 3,
};

describe('isolation matrix', () => {
  let server: AuthServer;
  let routes: RouteEntry[];
  const tokens: Record<'viewer' | 'member', string> = { viewer: '', member: '' };
  let betaToken = '';
  let defaultKey = '';
  let betaKey = '';

  beforeAll(async () => {
    server = await startAuthServer({ apiBurst: 1_000_000, apiRatePerSecond: 1_000_000 });
    routes = [...server.routes.main, ...server.routes.otlp];
    const admin = await login(server.url, 'admin', ADMIN_PASSWORD);
    for (const role of ['viewer', 'member'] as const) {
      const password = `${role} password 12`;
      await call(server.url, 'POST', '/api/v1/auth/users', admin, {
        username: role,
        password,
        role,
      });
      const session = await login(server.url, role, password);
      tokens[role] = (
        await call(server.url, 'POST', '/api/v1/auth/tokens', session, { name: 'matrix' })
      ).body.token;
    }
    defaultKey = (await call(server.url, 'POST', '/api/v1/auth/keys', admin, { name: 'default' }))
      .body.key;
    await call(server.url, 'POST', '/api/v1/auth/projects', admin, { id: 'beta', name: 'Beta' });
    const betaLogin = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, projectId: 'beta' }),
    });
    const betaAdmin = {
      cookie: betaLogin.headers.get('set-cookie')!.split(';')[0]!,
      csrfToken: ((await betaLogin.json()) as { csrfToken: string }).csrfToken,
    };
    betaToken = (await call(server.url, 'POST', '/api/v1/auth/tokens', betaAdmin, { name: 'beta' }))
      .body.token;
    betaKey = (await call(server.url, 'POST', '/api/v1/auth/keys', betaAdmin, { name: 'beta' }))
      .body.key;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('lists every registered route', () => {
    const missing = routes.filter((route) => expectedAccess(route) === undefined);
    expect(missing.map((route) => `${route.method} ${route.url}`)).toEqual([]);
    expect(routes.length).toBeGreaterThan(200);
  });

  it('rejects every protected route without credentials', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const access = expectedAccess(route)!;
      const status = await send(server, route, null);
      if (access !== 'public' && status !== 401)
        wrong.push(`${route.method} ${route.url} → ${status}`);
      if (access === 'public' && status === 401) wrong.push(`${route.method} ${route.url} → 401`);
    }
    expect(wrong).toEqual([]);
  });

  it('enforces roles on every user route', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const access = expectedAccess(route)!;
      if (access === 'public' || access === 'ingest') continue;
      for (const role of ['viewer', 'member'] as const) {
        const status = await send(server, route, tokens[role]);
        if (status === 0) continue;
        const allowed = RANK[access] <= RANK[role === 'viewer' ? 'read' : 'write'];
        if (allowed && (status === 401 || status === 403))
          wrong.push(`${role} ${route.method} ${route.url} → ${status}`);
        if (!allowed && status !== 403)
          wrong.push(`${role} ${route.method} ${route.url} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('rejects ingest keys on user routes and tokens on ingest routes', async () => {
    const summary = await call(server.url, 'GET', '/api/v1/llm/summary?groupBy=model', defaultKey);
    expect(summary.status).toBe(401);
    const otlp = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.member}` },
      body: chatSpanJson(),
    });
    expect(otlp.status).toBe(401);
  });

  it('keeps each project to its own traces', async () => {
    const alphaTrace = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const betaTrace = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    for (const [key, traceId] of [
      [defaultKey, alphaTrace],
      [betaKey, betaTrace],
    ] as const) {
      const response = await fetch(`${server.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: chatSpanJson(traceId),
      });
      expect(response.status).toBe(200);
    }
    expect(
      (await call(server.url, 'GET', `/api/v1/traces/${alphaTrace}`, tokens.viewer)).status,
    ).toBe(200);
    expect(
      (await call(server.url, 'GET', `/api/v1/traces/${betaTrace}`, tokens.viewer)).status,
    ).toBe(404);
    expect((await call(server.url, 'GET', `/api/v1/traces/${betaTrace}`, betaToken)).status).toBe(
      200,
    );
    expect((await call(server.url, 'GET', `/api/v1/traces/${alphaTrace}`, betaToken)).status).toBe(
      404,
    );
  });

  it('answers tracking resources of another project like missing ones', async () => {
    // The admin last logged in to beta, so the login names the default project.
    const adminLogin = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, projectId: 'default' }),
    });
    const admin = {
      cookie: adminLogin.headers.get('set-cookie')!.split(';')[0]!,
      csrfToken: ((await adminLogin.json()) as { csrfToken: string }).csrfToken,
    };
    const adminToken = (await call(server.url, 'POST', '/api/v1/auth/tokens', admin, { name: 'a' }))
      .body.token;
    const owned = await seedTrackingResources(server.url, tokens.member, adminToken);
    const trackingRoutes = routes.filter(
      (route) => !['HEAD', 'OPTIONS'].includes(route.method) && isTrackingRoute(route),
    );
    const unlisted = trackingRoutes.filter((route) => trackingRequest(route, owned) === undefined);
    expect(unlisted.map((route) => `${route.method} ${route.url}`)).toEqual([]);
    expect(trackingRoutes.length).toBeGreaterThan(120);

    // Reads first, so they see the other project before its own writes add anything.
    const ordered = [...trackingRoutes].sort(
      (a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'),
    );
    const wrong: string[] = [];
    for (const route of ordered) {
      const foreign = await sendTracking(
        server.url,
        route.method,
        trackingRequest(route, owned)!,
        betaToken,
      );
      const missing = await sendTracking(
        server.url,
        route.method,
        trackingRequest(route, MISSING_IDS)!,
        betaToken,
      );
      const label = `${route.method} ${route.url}`;
      if (foreign.text.includes(OWNER_SECRET))
        wrong.push(`${label} returned the owner's data: ${foreign.text}`);
      if (foreign.status !== missing.status)
        wrong.push(`${label} → ${foreign.status}, but ${missing.status} for a missing resource`);
      else if (
        foreign.status >= 400 &&
        withIdsNamed(foreign.text, owned) !== withIdsNamed(missing.text, MISSING_IDS)
      )
        wrong.push(`${label} → ${foreign.text}, but ${missing.text} for a missing resource`);
    }
    expect(wrong).toEqual([]);

    const run = await call(
      server.url,
      'GET',
      `/api/2.0/mlflow/runs/get?run_id=${owned.runId}`,
      tokens.member,
    );
    expect(run.body.run.info.status).toBe('RUNNING');
    expect(run.body.run.info.lifecycle_stage).toBe('active');
    expect(run.body.run.data.params).toEqual([{ key: 'secret', value: OWNER_SECRET }]);
    expect(run.body.run.data.tags).toContainEqual({ key: 'secret', value: OWNER_SECRET });
    const version = await call(
      server.url,
      'GET',
      `/api/2.0/mlflow/model-versions/get?name=${owned.modelName}&version=1`,
      tokens.member,
    );
    expect(version.body.model_version.current_stage).toBe('None');
    expect(version.body.model_version.description).toBe(OWNER_SECRET);
    expect(version.body.model_version.aliases).toEqual(['champion']);
    const artifact = await fetch(
      `${server.url}/api/2.0/mlflow-artifacts/artifacts/${owned.artifactPath}`,
      { headers: { authorization: `Bearer ${tokens.member}` } },
    );
    expect(await artifact.text()).toBe(OWNER_SECRET);
    const policies = await call(server.url, 'GET', '/api/v1/registry/policies', tokens.member);
    expect(policies.body.policies.map((policy: any) => policy.metricKey)).toEqual([OWNER_SECRET]);
  });
});
