import type {
  AlertHistoryEntry,
  AlertInstance,
  InstanceState,
  NotificationLogEntry,
  OutboxRecord,
  OutboxStatus,
  Silence,
} from '../../../alerts/alert-store.ts';
import {
  toNumber,
  toNumberOrNull,
  toStringOrNull,
  type Param,
  type Row,
} from './serial-connection.ts';
import type { OutboxSecretColumns } from './outbox-secrets.ts';

export const INSTANCE_INSERT = `INSERT INTO alert_instances VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;

export function instanceParams(instance: AlertInstance): Param[] {
  return [
    instance.ruleId,
    instance.fingerprint,
    JSON.stringify(instance.labels),
    JSON.stringify(instance.annotations),
    instance.state,
    instance.activeAtMs,
    instance.firedAtMs,
    instance.resolvedAtMs,
    instance.keepFiringSinceMs,
    finite(instance.value),
    finite(instance.threshold),
    instance.lastEvalMs,
    instance.projectId,
  ];
}

/** DuckDB stores no NaN in these columns; a non-finite value is kept as 0. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

export function rowToInstance(row: Row): AlertInstance {
  return {
    projectId: String(row.project_id),
    ruleId: String(row.rule_id),
    fingerprint: String(row.fingerprint),
    labels: JSON.parse(String(row.labels)) as Record<string, string>,
    annotations: JSON.parse(String(row.annotations)) as Record<string, string>,
    state: String(row.state) as InstanceState,
    activeAtMs: toNumber(row.active_at_ms),
    firedAtMs: toNumberOrNull(row.fired_at_ms),
    resolvedAtMs: toNumberOrNull(row.resolved_at_ms),
    keepFiringSinceMs: toNumberOrNull(row.keep_firing_since_ms),
    value: toNumber(row.value),
    threshold: toNumber(row.threshold),
    lastEvalMs: toNumber(row.last_eval_ms),
  };
}

export const HISTORY_INSERT = `INSERT INTO alert_history VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

export function historyParams(entry: AlertHistoryEntry): Param[] {
  return [
    entry.ruleId,
    entry.fingerprint,
    JSON.stringify(entry.labels),
    entry.fromState,
    entry.toState,
    entry.atMs,
    finite(entry.value),
    finite(entry.threshold),
    entry.projectId,
  ];
}

export function rowToHistory(row: Row): AlertHistoryEntry {
  return {
    projectId: String(row.project_id),
    ruleId: String(row.rule_id),
    fingerprint: String(row.fingerprint),
    labels: JSON.parse(String(row.labels)) as Record<string, string>,
    fromState: String(row.from_state) as AlertHistoryEntry['fromState'],
    toState: String(row.to_state) as AlertHistoryEntry['toState'],
    atMs: toNumber(row.at_ms),
    value: toNumber(row.value),
    threshold: toNumber(row.threshold),
  };
}

export function rowToSilence(row: Row): Silence {
  return {
    projectId: String(row.project_id),
    id: String(row.id),
    matchers: JSON.parse(String(row.matchers)) as Silence['matchers'],
    startsAtMs: toNumber(row.starts_at_ms),
    endsAtMs: toNumber(row.ends_at_ms),
    createdBy: String(row.created_by),
    comment: String(row.comment),
  };
}

export const OUTBOX_INSERT = `INSERT INTO alert_outbox (id, receiver, integration, url, headers,
  body, summary, attempts, next_attempt_ms, status, last_error, created_ms, delivered_ms, project_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`;

/** Insert parameters of an outbox record whose secret columns the caller sealed. */
export function outboxParams(record: OutboxRecord, sealed: OutboxSecretColumns): Param[] {
  return [
    record.id,
    record.receiver,
    record.integration,
    sealed.url,
    sealed.headers,
    sealed.body,
    record.summary,
    record.attempts,
    record.nextAttemptMs,
    record.status,
    record.lastError,
    record.createdMs,
    record.deliveredMs,
    record.projectId,
  ];
}

/** Reads the secret columns of an outbox row as stored: sealed, or plain in rows from before sealing. */
export function storedSecretColumns(row: Row): OutboxSecretColumns {
  return { url: String(row.url), headers: String(row.headers), body: String(row.body) };
}

/** Builds an outbox record from a row and its opened secret columns. */
export function rowToOutbox(row: Row, opened: OutboxSecretColumns): OutboxRecord {
  return {
    id: String(row.id),
    projectId: String(row.project_id),
    receiver: String(row.receiver),
    integration: String(row.integration),
    url: opened.url,
    headers: JSON.parse(opened.headers) as Record<string, string>,
    body: opened.body,
    summary: String(row.summary),
    attempts: toNumber(row.attempts),
    nextAttemptMs: toNumber(row.next_attempt_ms),
    status: String(row.status) as OutboxStatus,
    lastError: toStringOrNull(row.last_error),
    createdMs: toNumber(row.created_ms),
    deliveredMs: toNumberOrNull(row.delivered_ms),
  };
}

export const LOG_INSERT = `INSERT INTO alert_notification_log VALUES ($1, $2, $3, $4, $5, $6, $7)`;

export function logParams(entry: NotificationLogEntry): Param[] {
  return [
    entry.groupKey,
    entry.receiver,
    entry.firstSeenMs,
    entry.lastFlushMs,
    entry.lastSentMs,
    JSON.stringify(entry.firing),
    JSON.stringify(entry.resolved),
  ];
}

export function rowToLog(row: Row): NotificationLogEntry {
  return {
    groupKey: String(row.group_key),
    receiver: String(row.receiver),
    firstSeenMs: toNumber(row.first_seen_ms),
    lastFlushMs: toNumberOrNull(row.last_flush_ms),
    lastSentMs: toNumberOrNull(row.last_sent_ms),
    firing: JSON.parse(String(row.firing)) as string[],
    resolved: JSON.parse(String(row.resolved)) as string[],
  };
}
