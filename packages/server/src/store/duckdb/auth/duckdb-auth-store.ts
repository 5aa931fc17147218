import type { DuckDBInstance } from '@duckdb/node-api';
import type {
  ApiToken,
  AuditEntry,
  AuditQuery,
  AuthStore,
  IngestKey,
  Membership,
  Project,
  Session,
  UserAccount,
} from '../../auth-store.ts';
import { SerialConnection, type Param } from '../alerts/serial-connection.ts';
import { AUTH_SCHEMA } from './auth-schema.ts';
import {
  toApiToken,
  toAuditEntry,
  toIngestKey,
  toMembership,
  toProject,
  toSession,
  toUser,
} from './auth-rows.ts';

/** Opens the auth tables in a DuckDB file, creating them when missing. */
export async function openDuckDbAuthStore(instance: DuckDBInstance): Promise<AuthStore> {
  const connection = new SerialConnection(await instance.connect());
  await connection.exclusive(async (run) => {
    for (const statement of AUTH_SCHEMA) await run.exec(statement, []);
  });
  return new DuckDbAuthStore(connection);
}

class DuckDbAuthStore implements AuthStore {
  constructor(private readonly db: SerialConnection) {}

  private exec(sql: string, params: Param[]): Promise<void> {
    return this.db.exclusive((run) => run.exec(sql, params));
  }

  private read<T>(
    sql: string,
    params: Param[],
    map: (row: Record<string, never>) => T,
  ): Promise<T[]> {
    return this.db.exclusive(async (run) =>
      (await run.read(sql, params)).map((row) => map(row as never)),
    );
  }

  private async readOne<T>(
    sql: string,
    params: Param[],
    map: (row: Record<string, never>) => T,
  ): Promise<T | null> {
    return (await this.read(sql, params, map))[0] ?? null;
  }

  createProject(project: Project): Promise<void> {
    return this.exec('INSERT INTO auth_projects VALUES ($1, $2, $3)', [
      project.id,
      project.name,
      project.createdAtUnixMs,
    ]);
  }

  listProjects(): Promise<Project[]> {
    return this.read('SELECT * FROM auth_projects ORDER BY id', [], toProject);
  }

  getProject(id: string): Promise<Project | null> {
    return this.readOne('SELECT * FROM auth_projects WHERE id = $1', [id], toProject);
  }

  createUser(user: UserAccount): Promise<void> {
    return this.exec('INSERT INTO auth_users VALUES ($1, $2, $3, $4)', [
      user.id,
      user.username,
      user.passwordHash,
      user.createdAtUnixMs,
    ]);
  }

  findUserByName(username: string): Promise<UserAccount | null> {
    return this.readOne('SELECT * FROM auth_users WHERE username = $1', [username], toUser);
  }

  getUser(id: string): Promise<UserAccount | null> {
    return this.readOne('SELECT * FROM auth_users WHERE id = $1', [id], toUser);
  }

  listUsers(): Promise<UserAccount[]> {
    return this.read('SELECT * FROM auth_users ORDER BY username', [], toUser);
  }

  async countUsers(): Promise<number> {
    const counts = await this.read('SELECT count(*) AS n FROM auth_users', [], (row) =>
      Number(row.n),
    );
    return counts[0] ?? 0;
  }

  setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    return this.exec('UPDATE auth_users SET password_hash = $2 WHERE id = $1', [
      userId,
      passwordHash,
    ]);
  }

  setMembership(membership: Membership): Promise<void> {
    return this.exec('INSERT OR REPLACE INTO auth_memberships VALUES ($1, $2, $3, $4)', [
      membership.userId,
      membership.projectId,
      membership.role,
      membership.canReadContent,
    ]);
  }

  membershipsOf(userId: string): Promise<Membership[]> {
    return this.read(
      'SELECT * FROM auth_memberships WHERE user_id = $1 ORDER BY project_id',
      [userId],
      toMembership,
    );
  }

  createIngestKey(key: IngestKey): Promise<void> {
    return this.exec(
      `INSERT INTO auth_ingest_keys (id, project_id, name, prefix, secret_sha256, created_at_ms,
        revoked_at_ms, rate_per_second, max_body_bytes, attribution)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        key.id,
        key.projectId,
        key.name,
        key.prefix,
        key.secretSha256,
        key.createdAtUnixMs,
        key.revokedAtUnixMs,
        key.ratePerSecond,
        key.maxBodyBytes,
        JSON.stringify(key.attribution),
      ],
    );
  }

  findIngestKey(secretSha256: string): Promise<IngestKey | null> {
    return this.readOne(
      'SELECT * FROM auth_ingest_keys WHERE secret_sha256 = $1',
      [secretSha256],
      toIngestKey,
    );
  }

  listIngestKeys(projectId: string): Promise<IngestKey[]> {
    return this.read(
      'SELECT * FROM auth_ingest_keys WHERE project_id = $1 ORDER BY created_at_ms',
      [projectId],
      toIngestKey,
    );
  }

  async revokeIngestKey(id: string, projectId: string, atUnixMs: number): Promise<boolean> {
    const found = await this.read(
      `UPDATE auth_ingest_keys SET revoked_at_ms = $3
       WHERE id = $1 AND project_id = $2 AND revoked_at_ms IS NULL RETURNING id`,
      [id, projectId, atUnixMs],
      (row) => row.id,
    );
    return found.length > 0;
  }

  createApiToken(token: ApiToken): Promise<void> {
    return this.exec(
      `INSERT INTO auth_api_tokens (id, user_id, project_id, name, prefix, secret_sha256,
        created_at_ms, revoked_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        token.id,
        token.userId,
        token.projectId,
        token.name,
        token.prefix,
        token.secretSha256,
        token.createdAtUnixMs,
        token.revokedAtUnixMs,
        token.expiresAtUnixMs,
      ],
    );
  }

  findApiToken(secretSha256: string): Promise<ApiToken | null> {
    return this.readOne(
      'SELECT * FROM auth_api_tokens WHERE secret_sha256 = $1',
      [secretSha256],
      toApiToken,
    );
  }

  listApiTokens(userId: string): Promise<ApiToken[]> {
    return this.read(
      'SELECT * FROM auth_api_tokens WHERE user_id = $1 ORDER BY created_at_ms',
      [userId],
      toApiToken,
    );
  }

  async revokeApiToken(id: string, userId: string, atUnixMs: number): Promise<boolean> {
    const found = await this.read(
      `UPDATE auth_api_tokens SET revoked_at_ms = $3
       WHERE id = $1 AND user_id = $2 AND revoked_at_ms IS NULL RETURNING id`,
      [id, userId, atUnixMs],
      (row) => row.id,
    );
    return found.length > 0;
  }

  createSession(session: Session): Promise<void> {
    return this.exec('INSERT INTO auth_sessions VALUES ($1, $2, $3, $4, $5, $6)', [
      session.idSha256,
      session.userId,
      session.projectId,
      session.csrfToken,
      session.createdAtUnixMs,
      session.expiresAtUnixMs,
    ]);
  }

  findSession(idSha256: string): Promise<Session | null> {
    return this.readOne('SELECT * FROM auth_sessions WHERE id_sha256 = $1', [idSha256], toSession);
  }

  deleteSession(idSha256: string): Promise<void> {
    return this.exec('DELETE FROM auth_sessions WHERE id_sha256 = $1', [idSha256]);
  }

  async deleteExpiredSessions(nowUnixMs: number): Promise<number> {
    const deleted = await this.read(
      'DELETE FROM auth_sessions WHERE expires_at_ms <= $1 RETURNING id_sha256',
      [nowUnixMs],
      (row) => row.id_sha256,
    );
    return deleted.length;
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.exec('INSERT INTO audit_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      entry.timeUnixMs,
      entry.actor,
      entry.action,
      entry.projectId,
      entry.target,
      entry.outcome,
      entry.address,
      JSON.stringify(entry.detail),
    ]);
  }

  queryAudit(query: AuditQuery): Promise<AuditEntry[]> {
    const params: Param[] = [query.fromUnixMs, query.toUnixMs];
    const clauses = ['time_ms >= $1', 'time_ms < $2'];
    if (query.actor !== null) clauses.push(`actor = $${params.push(query.actor)}`);
    if (query.action !== null) clauses.push(`action = $${params.push(query.action)}`);
    if (query.projectId !== null)
      clauses.push(`(project_id = $${params.push(query.projectId)} OR project_id IS NULL)`);
    const sql = `SELECT * FROM audit_log WHERE ${clauses.join(' AND ')}
      ORDER BY time_ms DESC LIMIT ${Math.max(1, Math.floor(query.limit))}`;
    return this.read(sql, params, toAuditEntry);
  }

  async close(): Promise<void> {
    await this.db.exclusive(async () => undefined);
    this.db.close();
  }
}
