import type { GroupBy, LlmQuery } from '../store/store.ts';
import type { Labels } from './labels.ts';
import type { Matcher } from './matchers.ts';

/** The state of an alert instance. `resolved` instances are kept a while so the resolution is sent. */
export type InstanceState = 'pending' | 'firing' | 'resolved';

/** One alert instance: a rule and one label set. */
export interface AlertInstance {
  /** The project of the rule; rule ids are unique within a project. */
  projectId: string;
  ruleId: string;
  fingerprint: string;
  labels: Labels;
  annotations: Record<string, string>;
  state: InstanceState;
  activeAtMs: number;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
  /** When the condition last went false while firing; the keep_firing_for clock. */
  keepFiringSinceMs: number | null;
  value: number;
  threshold: number;
  lastEvalMs: number;
}

/** A state transition of one instance. */
export interface AlertHistoryEntry {
  projectId: string;
  ruleId: string;
  fingerprint: string;
  labels: Labels;
  fromState: InstanceState | 'inactive';
  toState: InstanceState | 'inactive';
  atMs: number;
  value: number;
  threshold: number;
}

export interface Silence {
  /** A silence mutes alerts of its own project only. */
  projectId: string;
  id: string;
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** One HTTP request waiting to be delivered to a receiver. */
export interface OutboxRecord {
  id: string;
  /** The project of the alerts the request notifies about; the API lists a project's own records only. */
  projectId: string;
  receiver: string;
  integration: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Alert ids (rule id and fingerprint) and status carried, for logs and the API. */
  summary: string;
  attempts: number;
  nextAttemptMs: number;
  status: OutboxStatus;
  lastError: string | null;
  createdMs: number;
  deliveredMs: number | null;
}

/** What the dispatcher last did for one aggregation group. */
export interface NotificationLogEntry {
  groupKey: string;
  receiver: string;
  firstSeenMs: number;
  lastFlushMs: number | null;
  lastSentMs: number | null;
  /** Alert keys firing at the last notification. */
  firing: string[];
  /** Alert keys resolved at the last notification. */
  resolved: string[];
}

/** A rule created through the API, stored as its JSON spec. */
export interface StoredRule {
  projectId: string;
  id: string;
  spec: unknown;
  updatedMs: number;
}

export interface HistoryQuery {
  projectId: string;
  fromMs: number;
  toMs: number;
  ruleId: string | null;
  limit: number;
}

/** Persistent alerting state: instances, history, API rules, silences, the outbox and the notification log. */
export interface AlertStore {
  loadInstances(): Promise<AlertInstance[]>;
  /** Writes instance changes and their history in one transaction. */
  commitEvaluation(
    upserts: readonly AlertInstance[],
    deletes: readonly { projectId: string; ruleId: string; fingerprint: string }[],
    history: readonly AlertHistoryEntry[],
  ): Promise<void>;
  listHistory(query: HistoryQuery): Promise<AlertHistoryEntry[]>;

  listApiRules(): Promise<StoredRule[]>;
  upsertApiRule(rule: StoredRule): Promise<void>;
  deleteApiRule(projectId: string, id: string): Promise<boolean>;

  listSilences(): Promise<Silence[]>;
  upsertSilence(silence: Silence): Promise<void>;

  loadNotificationLog(): Promise<NotificationLogEntry[]>;
  /** Enqueues notifications and records the groups they came from in one transaction. */
  commitDispatch(
    records: readonly OutboxRecord[],
    log: readonly NotificationLogEntry[],
    deletedGroupKeys: readonly string[],
  ): Promise<void>;
  dueOutbox(nowMs: number, limit: number): Promise<OutboxRecord[]>;
  /** The newest records of one project, oldest first, at most `limit`. */
  listOutbox(
    projectId: string,
    status: OutboxStatus | null,
    limit: number,
  ): Promise<OutboxRecord[]>;
  updateOutbox(record: OutboxRecord): Promise<void>;
  close(): Promise<void>;
}

/** One group of the span metrics that the store's summary does not compute. */
export interface SpanMetricGroup {
  key: string | null;
  requests: number;
  value: number | null;
}

export interface SpanMetricQuery extends LlmQuery {
  groupBy: GroupBy | null;
}

export type BadCallPredicate =
  { kind: 'slow'; slowerThanMs: number } | { kind: 'error'; errorType: string | null };

/** Calls and bad calls of one group, one entry per requested window, in the same order. */
export interface BadCallGroup {
  key: string | null;
  windows: { requests: number; bad: number }[];
}

/** Span metrics behind the slow-call ratio, time to first token and in-flight panels. */
export interface SpanMetrics {
  /** `value` is the number of calls slower than `thresholdMs`. */
  slowCalls(query: SpanMetricQuery, thresholdMs: number): Promise<SpanMetricGroup[]>;
  /** `value` is the quantile of time to first token over calls that report one. */
  ttftQuantile(query: SpanMetricQuery, quantile: number): Promise<SpanMetricGroup[]>;
  /** `value` is the average number of calls in flight over the window. */
  inflight(query: SpanMetricQuery): Promise<SpanMetricGroup[]>;
  /**
   * Counts calls and bad calls per group in several windows that all end at
   * `query.toUnixMs`; `query.fromUnixMs` must be the start of the longest. A call
   * is bad when it failed (of `errorType`, when given) or, with `slowerThanMs`,
   * when it took longer than that.
   */
  badCallWindows(
    query: SpanMetricQuery,
    windowsMs: readonly number[],
    bad: BadCallPredicate,
  ): Promise<BadCallGroup[]>;
  /** Start of the project's earliest stored span in Unix milliseconds; null when it has none. */
  dataStartMs(projectId: string): Promise<number | null>;
}
