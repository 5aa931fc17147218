import type { Role } from '../auth/permissions.ts';
import type { KeyAttribution } from '../enrich/key-attribution.ts';

export interface Project {
  id: string;
  name: string;
  createdAtUnixMs: number;
}

export interface UserAccount {
  id: string;
  username: string;
  /** `scrypt$N$r$p$salt$hash`, see auth/password-hash.ts. */
  passwordHash: string;
  createdAtUnixMs: number;
}

export interface Membership {
  userId: string;
  projectId: string;
  role: Role;
  /** Whether the user may see prompt and completion content in this project. */
  canReadContent: boolean;
}

/** A secret whose SHA-256 digest is stored; the secret itself is shown once on creation. */
export interface StoredSecret {
  id: string;
  name: string;
  /** The first characters of the secret, so people can tell keys apart. */
  prefix: string;
  secretSha256: string;
  createdAtUnixMs: number;
  revokedAtUnixMs: number | null;
}

export interface IngestKey extends StoredSecret {
  projectId: string;
  /** Sustained requests per second; null takes the server default. */
  ratePerSecond: number | null;
  /** Largest request body for this key, in bytes; null takes the server limit. */
  maxBodyBytes: number | null;
  /** Tenant, feature or environment given to spans sent with this key that carry none. */
  attribution: KeyAttribution;
}

export interface ApiToken extends StoredSecret {
  userId: string;
  projectId: string;
  expiresAtUnixMs: number | null;
}

export interface Session {
  idSha256: string;
  userId: string;
  projectId: string;
  csrfToken: string;
  createdAtUnixMs: number;
  expiresAtUnixMs: number;
}

export interface AuditEntry {
  timeUnixMs: number;
  /** `user:<name>`, `token:<id>`, `key:<id>`, `cli:<os user>` or `anonymous`. */
  actor: string;
  action: string;
  projectId: string | null;
  /** What the action touched, such as a trace id, rule id or user name. */
  target: string | null;
  outcome: 'success' | 'failure';
  /** Remote address of the request; null for the CLI. */
  address: string | null;
  detail: Record<string, unknown>;
}

export interface AuditQuery {
  fromUnixMs: number;
  toUnixMs: number;
  actor: string | null;
  action: string | null;
  /** Entries of this project plus those of no project, such as logins; null for all. */
  projectId: string | null;
  limit: number;
}

/** Projects, users, keys, tokens, sessions and the audit log. */
export interface AuthStore {
  createProject(project: Project): Promise<void>;
  listProjects(): Promise<Project[]>;
  getProject(id: string): Promise<Project | null>;

  createUser(user: UserAccount): Promise<void>;
  findUserByName(username: string): Promise<UserAccount | null>;
  getUser(id: string): Promise<UserAccount | null>;
  listUsers(): Promise<UserAccount[]>;
  countUsers(): Promise<number>;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;

  /** Adds or replaces the role of a user in a project. */
  setMembership(membership: Membership): Promise<void>;
  membershipsOf(userId: string): Promise<Membership[]>;

  createIngestKey(key: IngestKey): Promise<void>;
  findIngestKey(secretSha256: string): Promise<IngestKey | null>;
  listIngestKeys(projectId: string): Promise<IngestKey[]>;
  revokeIngestKey(id: string, projectId: string, atUnixMs: number): Promise<boolean>;

  createApiToken(token: ApiToken): Promise<void>;
  findApiToken(secretSha256: string): Promise<ApiToken | null>;
  listApiTokens(userId: string): Promise<ApiToken[]>;
  revokeApiToken(id: string, userId: string, atUnixMs: number): Promise<boolean>;

  createSession(session: Session): Promise<void>;
  findSession(idSha256: string): Promise<Session | null>;
  deleteSession(idSha256: string): Promise<void>;
  deleteExpiredSessions(nowUnixMs: number): Promise<number>;

  appendAudit(entry: AuditEntry): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditEntry[]>;

  close(): Promise<void>;
}
