import type { KeyAttribution } from '../../../enrich/key-attribution.ts';
import type {
  ApiToken,
  AuditEntry,
  IngestKey,
  StoredSecret,
  Membership,
  Project,
  Session,
  UserAccount,
} from '../../auth-store.ts';
import type { Role } from '../../../auth/permissions.ts';
import { toNumber, toNumberOrNull, toStringOrNull, type Row } from '../alerts/serial-connection.ts';

export function toProject(row: Row): Project {
  return {
    id: String(row.id),
    name: String(row.name),
    createdAtUnixMs: toNumber(row.created_at_ms),
  };
}

export function toUser(row: Row): UserAccount {
  return {
    id: String(row.id),
    username: String(row.username),
    passwordHash: String(row.password_hash),
    createdAtUnixMs: toNumber(row.created_at_ms),
  };
}

export function toMembership(row: Row): Membership {
  return {
    userId: String(row.user_id),
    projectId: String(row.project_id),
    role: String(row.role) as Role,
    canReadContent: row.can_read_content === true,
  };
}

function secretFields(row: Row): StoredSecret {
  return {
    id: String(row.id),
    name: String(row.name),
    prefix: String(row.prefix),
    secretSha256: String(row.secret_sha256),
    createdAtUnixMs: toNumber(row.created_at_ms),
    revokedAtUnixMs: toNumberOrNull(row.revoked_at_ms),
  };
}

export function toIngestKey(row: Row): IngestKey {
  return {
    ...secretFields(row),
    projectId: String(row.project_id),
    ratePerSecond: toNumberOrNull(row.rate_per_second),
    maxBodyBytes: toNumberOrNull(row.max_body_bytes),
    attribution: JSON.parse(String(row.attribution ?? '{}')) as KeyAttribution,
  };
}

export function toApiToken(row: Row): ApiToken {
  return {
    ...secretFields(row),
    userId: String(row.user_id),
    projectId: String(row.project_id),
    expiresAtUnixMs: toNumberOrNull(row.expires_at_ms),
  };
}

export function toSession(row: Row): Session {
  return {
    idSha256: String(row.id_sha256),
    userId: String(row.user_id),
    projectId: String(row.project_id),
    csrfToken: String(row.csrf_token),
    createdAtUnixMs: toNumber(row.created_at_ms),
    expiresAtUnixMs: toNumber(row.expires_at_ms),
  };
}

export function toAuditEntry(row: Row): AuditEntry {
  return {
    timeUnixMs: toNumber(row.time_ms),
    actor: String(row.actor),
    action: String(row.action),
    projectId: toStringOrNull(row.project_id),
    target: toStringOrNull(row.target),
    outcome: row.outcome === 'failure' ? 'failure' : 'success',
    address: toStringOrNull(row.address),
    detail: JSON.parse(String(row.detail)) as Record<string, unknown>,
  };
}
