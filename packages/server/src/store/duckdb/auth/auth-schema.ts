/** Tables of projects, users, secrets, sessions and the audit log, in the store's DuckDB file. */
export const AUTH_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS auth_projects (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, created_at_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS auth_users (
    id VARCHAR PRIMARY KEY, username VARCHAR NOT NULL UNIQUE, password_hash VARCHAR NOT NULL,
    created_at_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS auth_memberships (
    user_id VARCHAR NOT NULL, project_id VARCHAR NOT NULL, role VARCHAR NOT NULL,
    can_read_content BOOLEAN NOT NULL, PRIMARY KEY (user_id, project_id))`,
  `CREATE TABLE IF NOT EXISTS auth_ingest_keys (
    id VARCHAR PRIMARY KEY, project_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    prefix VARCHAR NOT NULL, secret_sha256 VARCHAR NOT NULL UNIQUE, created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT, rate_per_second DOUBLE, max_body_bytes BIGINT,
    attribution VARCHAR NOT NULL DEFAULT '{}')`,
  `CREATE TABLE IF NOT EXISTS auth_api_tokens (
    id VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, project_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL, prefix VARCHAR NOT NULL, secret_sha256 VARCHAR NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL, revoked_at_ms BIGINT, expires_at_ms BIGINT)`,
  `CREATE TABLE IF NOT EXISTS auth_sessions (
    id_sha256 VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, project_id VARCHAR NOT NULL,
    csrf_token VARCHAR NOT NULL, created_at_ms BIGINT NOT NULL, expires_at_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS audit_log (
    time_ms BIGINT NOT NULL, actor VARCHAR NOT NULL, action VARCHAR NOT NULL, project_id VARCHAR,
    target VARCHAR, outcome VARCHAR NOT NULL, address VARCHAR, detail VARCHAR NOT NULL)`,
];
