/**
 * Tables of the alerting state. They have no primary keys because DuckDB rejects
 * deleting and re-inserting one key inside a transaction in some versions; the
 * store replaces a row with DELETE and INSERT under its own lock instead.
 */
export const ALERT_SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS alert_instances (
    rule_id VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, labels VARCHAR NOT NULL,
    annotations VARCHAR NOT NULL, state VARCHAR NOT NULL, active_at_ms BIGINT NOT NULL,
    fired_at_ms BIGINT, resolved_at_ms BIGINT, keep_firing_since_ms BIGINT,
    value DOUBLE NOT NULL, threshold DOUBLE NOT NULL, last_eval_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_history (
    rule_id VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, labels VARCHAR NOT NULL,
    from_state VARCHAR NOT NULL, to_state VARCHAR NOT NULL, at_ms BIGINT NOT NULL,
    value DOUBLE NOT NULL, threshold DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_rules (
    id VARCHAR NOT NULL, spec VARCHAR NOT NULL, updated_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_silences (
    id VARCHAR NOT NULL, matchers VARCHAR NOT NULL, starts_at_ms BIGINT NOT NULL,
    ends_at_ms BIGINT NOT NULL, created_by VARCHAR NOT NULL, comment VARCHAR NOT NULL)`,
  // Every row of these tables belongs to one project; rows from before projects go to `default`.
  ...['alert_instances', 'alert_history', 'alert_rules', 'alert_silences'].map(
    (table) => `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS project_id VARCHAR DEFAULT 'default'`,
  ),
  `CREATE TABLE IF NOT EXISTS alert_outbox (
    id VARCHAR NOT NULL, receiver VARCHAR NOT NULL, integration VARCHAR NOT NULL,
    url VARCHAR NOT NULL, headers VARCHAR NOT NULL, body VARCHAR NOT NULL, summary VARCHAR NOT NULL,
    attempts INTEGER NOT NULL, next_attempt_ms BIGINT NOT NULL, status VARCHAR NOT NULL,
    last_error VARCHAR, created_ms BIGINT NOT NULL, delivered_ms BIGINT)`,
  // The project of the notified alerts; rows from before projects go to `default`.
  `ALTER TABLE alert_outbox ADD COLUMN IF NOT EXISTS project_id VARCHAR DEFAULT 'default'`,
  `CREATE TABLE IF NOT EXISTS alert_notification_log (
    group_key VARCHAR NOT NULL, receiver VARCHAR NOT NULL, first_seen_ms BIGINT NOT NULL,
    last_flush_ms BIGINT, last_sent_ms BIGINT, firing VARCHAR NOT NULL, resolved VARCHAR NOT NULL)`,
];
