import type { KeyAttribution } from '../enrich/key-attribution.ts';
import type { Permission, Role } from './permissions.ts';

/** The project that owns data when auth is off, and that existing data migrates into. */
export const DEFAULT_PROJECT_ID = 'default';

/** Access of one request: the project its key or session belongs to, and who sent it. */
export interface RequestScope {
  projectId: string;
  /** `user:<name>`, `token:<id>` (an API token of a user), `key:<id>` (an ingest key) or `local` when auth is off. */
  principal: string;
  /** The user behind a session, API token or password; null for ingest keys and when auth is off. */
  userId: string | null;
  /** The user's role in the project; null for ingest keys. */
  role: Role | null;
  permissions: readonly Permission[];
  /** Whether prompt and completion content may be returned. */
  canReadContent: boolean;
  /** Attribution the ingest key gives spans without their own; empty for other requests. */
  keyAttribution: KeyAttribution;
}

/** The scope of every request when auth is off: one local operator who may do everything. */
const LOCAL_SCOPE: RequestScope = Object.freeze({
  projectId: DEFAULT_PROJECT_ID,
  principal: 'local',
  userId: null,
  role: 'admin',
  permissions: Object.freeze(['read', 'write', 'admin'] as Permission[]),
  canReadContent: true,
  keyAttribution: Object.freeze({}),
});

const scopes = new WeakMap<object, RequestScope>();

/**
 * Records the scope of an HTTP request or gRPC call once its credentials are
 * checked. Fields left out grant nothing: no permissions and no content.
 */
export function setRequestScope(
  request: object,
  scope: Pick<RequestScope, 'projectId'> & Partial<RequestScope>,
): void {
  scopes.set(request, {
    principal: 'unknown',
    userId: null,
    role: null,
    permissions: [],
    canReadContent: false,
    keyAttribution: {},
    ...scope,
  });
}

/**
 * Returns the scope of an HTTP request or gRPC call. When auth is on, the auth hook
 * sets a scope on every request it lets through, so the local scope is seen
 * only when auth is off.
 */
export function requestScope(request: object): RequestScope {
  return scopes.get(request) ?? LOCAL_SCOPE;
}
