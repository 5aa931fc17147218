import type { Permission } from './permissions.ts';

/**
 * Protection of a route. `public` needs nothing and `ingest` needs an ingest
 * key. `mlflow` takes MLflow's credentials and error shape, and `api` takes a
 * session or API token. `audit` is the audit action written after a
 * state-changing request, and `content` marks responses with prompt and
 * completion content.
 */
export type RoutePolicy =
  | { kind: 'public' }
  | { kind: 'ingest' }
  | { kind: 'mlflow'; permission: Permission }
  | { kind: 'api'; permission: Permission; audit: string | null; content: boolean };

const MLFLOW_PREFIXES = [
  '/api/2.0/mlflow',
  '/ajax-api/2.0/mlflow',
  '/api/3.0/mlflow',
  '/ajax-api/3.0/mlflow',
];

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** MLflow endpoints that read through POST because their filters do not fit a query string. */
const MLFLOW_READ_POSTS = /\/(search|get-latest-versions)$/;

const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'HEAD /healthz',
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/session',
]);

/** Route prefixes whose writes need `admin`, with their audit action. */
const ADMIN_WRITES: ReadonlyArray<[string, string]> = [
  ['/api/v1/prices', 'prices.change'],
  ['/api/v1/budgets', 'budgets.change'],
  ['/api/v1/privacy/erasure', 'user.erase'],
  ['/api/v1/privacy', 'policy.change'],
  ['/api/v1/auth/projects', 'projects.change'],
  ['/api/v1/auth/keys', 'keys.change'],
  ['/api/v1/auth/users', 'users.change'],
  ['/api/v1/registry/policies', 'policy.change'],
  ['/api/v1/ingest-log', 'ingest-log.retry'],
];

/** Route prefixes whose writes need `write`, with their audit action. */
const MEMBER_WRITES: ReadonlyArray<[string, string | null]> = [
  ['/api/v1/alerts', 'rules.change'],
  ['/api/v1/scores', null],
  ['/api/v1/registry/transitions', 'registry.transition'],
];

/** Routes that only admins may read. */
const ADMIN_READS = [
  '/api/v1/audit',
  '/api/v1/auth/projects',
  '/api/v1/auth/keys',
  '/api/v1/auth/users',
  '/api/v1/ingest-log',
  '/metrics',
];

function matches(url: string, prefix: string): boolean {
  return url === prefix || url.startsWith(`${prefix}/`);
}

function mlflowPermission(method: string, url: string): Permission {
  if (READ_METHODS.has(method)) return 'read';
  return method === 'POST' && MLFLOW_READ_POSTS.test(url) ? 'read' : 'write';
}

function apiPolicy(method: string, url: string): RoutePolicy {
  const api = (
    permission: Permission,
    audit: string | null = null,
    content = false,
  ): RoutePolicy => ({
    kind: 'api',
    permission,
    audit,
    content,
  });
  if (READ_METHODS.has(method)) {
    if (ADMIN_READS.some((prefix) => matches(url, prefix))) return api('admin');
    return api('read', null, url === '/api/v1/traces/:traceId');
  }
  if (url === '/api/v1/auth/logout') return api('read');
  if (matches(url, '/api/v1/auth/tokens')) return api('read', 'tokens.change');
  const admin = ADMIN_WRITES.find(([prefix]) => matches(url, prefix));
  if (admin !== undefined) return api('admin', admin[1]);
  const member = MEMBER_WRITES.find(([prefix]) => matches(url, prefix));
  if (member !== undefined) return api('write', member[1]);
  return api('admin', `${method.toLowerCase()} ${url}`);
}

/**
 * Returns the policy of a route given its method and its registered URL
 * pattern (such as `/api/v1/traces/:traceId`), or of an unmatched request
 * when `url` is null. Unknown state-changing routes need `admin`, so a new
 * route is closed until it is classified.
 */
export function routePolicy(method: string, url: string | null): RoutePolicy {
  // HEAD is GET without a body, so it shares GET's policy.
  const upper = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  if (url === null) return { kind: 'api', permission: 'read', audit: null, content: false };
  if (PUBLIC_ROUTES.has(`${upper} ${url}`)) return { kind: 'public' };
  if (upper === 'POST' && /^\/v1\/(traces|metrics|logs)$/.test(url)) return { kind: 'ingest' };
  if (MLFLOW_PREFIXES.some((prefix) => matches(url, prefix)) || url.includes('/mlflow-artifacts'))
    return { kind: 'mlflow', permission: mlflowPermission(upper, url) };
  if (url.startsWith('/api/') || url === '/metrics') return apiPolicy(upper, url);
  // The dashboard's HTML, scripts and styles: code, not data.
  if (READ_METHODS.has(upper)) return { kind: 'public' };
  return { kind: 'api', permission: 'admin', audit: null, content: false };
}
