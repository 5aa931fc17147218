import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { findRouteByName, type AlertingConfig, type RouteNode } from './alerting-config.ts';
import type {
  AlertInstance,
  AlertStore,
  NotificationLogEntry,
  OutboxRecord,
  Silence,
} from './alert-store.ts';
import { ruleKey, type CompiledRule } from './compiled-rule.ts';
import { buildDeepLink } from './deep-link.ts';
import { instanceKey } from './evaluator.ts';
import type { Labels } from './labels.ts';
import { isInhibited, isSilenced } from './muting.ts';
import type { Notification, NotificationReason, NotifiedAlert } from './notification.ts';
import { buildReceiverRequests } from './notifiers/receiver-requests.ts';
import { groupKeyFor, matchRoutes } from './routing.ts';
import { BURN_WINDOW_SETS } from './slo-windows.ts';

export interface DispatchInput {
  instances: readonly AlertInstance[];
  rules: ReadonlyMap<string, CompiledRule>;
  config: AlertingConfig;
  silences: readonly Silence[];
  nowMs: number;
  publicUrl: string;
}

interface Group {
  key: string;
  node: RouteNode;
  receiver: string;
  groupLabels: Labels;
  alerts: NotifiedAlert[];
}

/**
 * Routes firing and resolved alerts into aggregation groups, applies silences and
 * inhibition, runs the group_wait, group_interval and repeat_interval timers per
 * group, and enqueues the receivers' requests in the outbox together with the
 * notification log, in one transaction.
 */
export class Dispatcher {
  private readonly log = new Map<string, NotificationLogEntry>();
  private readonly warnedReceivers = new Set<string>();

  constructor(
    private readonly store: AlertStore,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<void> {
    for (const entry of await this.store.loadNotificationLog()) this.log.set(entry.groupKey, entry);
  }

  /** Returns the keys of alerts muted by a silence or an inhibition rule at this dispatch. */
  async dispatch(input: DispatchInput): Promise<Set<string>> {
    const { alerts, muted } = notifiableAlerts(input);
    const groups = groupAlerts(alerts, input);
    const records: OutboxRecord[] = [];
    const changed: NotificationLogEntry[] = [];
    const deleted: string[] = [];
    const keys = new Set([...groups.keys(), ...this.log.keys()]);
    for (const key of keys) {
      const group = groups.get(key) ?? this.emptyGroup(key, input.config);
      if (group === null) {
        deleted.push(key);
        continue;
      }
      const outcome = this.flushGroup(group, muted, input);
      records.push(...outcome.records);
      if (outcome.entry === null) {
        if (this.log.has(key)) deleted.push(key);
      } else if (outcome.changed) {
        changed.push(outcome.entry);
      }
    }
    await this.store.commitDispatch(records, changed, deleted);
    for (const key of deleted) this.log.delete(key);
    for (const entry of changed) this.log.set(entry.groupKey, entry);
    return muted;
  }

  /** A logged group whose alerts are all gone still flushes, so its resolution is sent. */
  private emptyGroup(key: string, config: AlertingConfig): Group | null {
    const entry = this.log.get(key);
    const node =
      entry === undefined ? null : findNodeByPath(config.route, key.slice(0, key.indexOf(':')));
    if (entry === undefined || node === null || node.receiver === null) return null;
    return { key, node, receiver: node.receiver, groupLabels: {}, alerts: [] };
  }

  private flushGroup(
    group: Group,
    muted: Set<string>,
    input: DispatchInput,
  ): { records: OutboxRecord[]; entry: NotificationLogEntry | null; changed: boolean } {
    const { nowMs } = input;
    const firing = group.alerts.filter((alert) => alert.status === 'firing');
    const previous = this.log.get(group.key);
    if (previous === undefined && firing.length === 0)
      return { records: [], entry: null, changed: false };
    const entry: NotificationLogEntry = previous ?? {
      groupKey: group.key,
      receiver: group.receiver,
      firstSeenMs: nowMs,
      lastFlushMs: null,
      lastSentMs: null,
      firing: [],
      resolved: [],
    };
    const due =
      entry.lastFlushMs === null
        ? nowMs - entry.firstSeenMs >= group.node.groupWaitMs
        : nowMs - entry.lastFlushMs >= group.node.groupIntervalMs;
    if (!due) return { records: [], entry, changed: previous === undefined };

    const firingKeys = firing.map((alert) => alert.key);
    const mutedStillFiring = entry.firing.filter(
      (key) => muted.has(key) && !firingKeys.includes(key),
    );
    const newlyFiring = firingKeys.filter((key) => !entry.firing.includes(key));
    const newlyResolved = entry.firing.filter(
      (key) => !firingKeys.includes(key) && !mutedStillFiring.includes(key),
    );
    const repeatDue =
      firing.length > 0 &&
      entry.lastSentMs !== null &&
      nowMs - entry.lastSentMs >= group.node.repeatIntervalMs;
    const next: NotificationLogEntry = { ...entry, lastFlushMs: nowMs };
    let records: OutboxRecord[] = [];
    if (newlyFiring.length > 0 || newlyResolved.length > 0 || repeatDue) {
      const reason = notificationReason(
        previous?.lastSentMs ?? null,
        newlyFiring,
        newlyResolved,
        firing.length,
      );
      const alerts = group.alerts.filter(
        (alert) => alert.status === 'firing' || newlyResolved.includes(alert.key),
      );
      records = this.enqueue(group, { alerts, newlyFiring, newlyResolved, reason }, input);
      next.firing = [...firingKeys, ...mutedStillFiring];
      next.resolved = newlyResolved;
      next.lastSentMs = nowMs;
    }
    const finished = firing.length === 0 && next.firing.length === 0;
    return { records, entry: finished ? null : next, changed: true };
  }

  private enqueue(
    group: Group,
    content: Pick<Notification, 'alerts' | 'newlyFiring' | 'newlyResolved' | 'reason'>,
    input: DispatchInput,
  ): OutboxRecord[] {
    const receiver = input.config.receivers.find((candidate) => candidate.name === group.receiver);
    if (receiver === undefined) {
      if (!this.warnedReceivers.has(group.receiver)) {
        this.warnedReceivers.add(group.receiver);
        this.logger.warn(
          { receiver: group.receiver },
          `alert receiver "${group.receiver}" is not defined in alerting.yaml; its notifications are dropped`,
        );
      }
      return [];
    }
    const notification: Notification = {
      receiver: group.receiver,
      groupKey: group.key,
      groupLabels: group.groupLabels,
      status: content.alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
      externalUrl: input.publicUrl,
      ...content,
    };
    const projectId = notificationProject(notification);
    return buildReceiverRequests(receiver, notification).map((request) =>
      toOutboxRecord(group.receiver, projectId, request, input.nowMs),
    );
  }
}

/**
 * Returns the project of a notification's alerts, firing or resolved. A route that
 * does not group by `project` can put alerts of several projects in one group. Such a
 * notification belongs to the instance, so it gets the default project.
 */
function notificationProject(notification: Notification): string {
  const projects = new Set(notification.alerts.map((alert) => alert.projectId));
  // An alert key is `projectId/ruleId/fingerprint`, and project ids contain no slash.
  for (const key of notification.newlyResolved) projects.add(key.slice(0, key.indexOf('/')));
  const [only] = projects;
  return projects.size === 1 && only !== undefined ? only : DEFAULT_PROJECT_ID;
}

export function toOutboxRecord(
  receiver: string,
  projectId: string,
  request: ReturnType<typeof buildReceiverRequests>[number],
  nowMs: number,
): OutboxRecord {
  return {
    id: randomUUID(),
    projectId,
    receiver,
    integration: request.integration,
    url: request.url,
    headers: request.headers,
    body: request.body,
    summary: request.summary,
    attempts: 0,
    nextAttemptMs: nowMs,
    status: 'pending',
    lastError: null,
    createdMs: nowMs,
    deliveredMs: null,
  };
}

function notificationReason(
  lastSentMs: number | null,
  newlyFiring: string[],
  newlyResolved: string[],
  firingCount: number,
): NotificationReason {
  if (lastSentMs === null) return 'first notification';
  if (newlyFiring.length > 0) return 'new alerts added';
  if (newlyResolved.length > 0)
    return firingCount === 0 ? 'all alerts resolved' : 'some alerts resolved';
  return 'repeat interval elapsed';
}

/** Firing and resolved alerts, with muted firing alerts left out. */
function notifiableAlerts(input: DispatchInput): { alerts: NotifiedAlert[]; muted: Set<string> } {
  const firingLabels = input.instances
    .filter((instance) => instance.state === 'firing')
    .map((instance) => instance.labels);
  const muted = new Set<string>();
  const alerts: NotifiedAlert[] = [];
  for (const instance of input.instances) {
    if (instance.state === 'pending' || instance.firedAtMs === null) continue;
    const rule = input.rules.get(ruleKey(instance.projectId, instance.ruleId));
    if (
      instance.state === 'firing' &&
      (isSilenced(input.silences, instance.labels, input.nowMs) ||
        isInhibited(input.config.inhibitRules, instance.labels, firingLabels))
    ) {
      muted.add(instanceKey(instance));
      continue;
    }
    alerts.push(toNotifiedAlert(instance, rule, input));
  }
  return { alerts, muted };
}

/** The same alert and route in the same group key, across receivers reached through `continue`. */
function groupAlerts(alerts: NotifiedAlert[], input: DispatchInput): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const alert of alerts) {
    const rule = input.rules.get(ruleKey(alert.projectId, alert.ruleId));
    const named =
      rule?.spec.route === undefined ? null : findRouteByName(input.config.route, rule.spec.route);
    const nodes = named !== null ? [named] : matchRoutes(input.config.route, alert.labels);
    for (const node of nodes) {
      if (node.receiver === null) continue;
      const { key, groupLabels } = groupKeyFor(node, alert.labels, alert.key);
      let group = groups.get(key);
      if (!group) {
        group = { key, node, receiver: node.receiver, groupLabels, alerts: [] };
        groups.set(key, group);
      }
      group.alerts.push(alert);
    }
  }
  return groups;
}

function findNodeByPath(node: RouteNode, path: string): RouteNode | null {
  if (node.path === path) return node;
  for (const child of node.routes) {
    const found = findNodeByPath(child, path);
    if (found !== null) return found;
  }
  return null;
}

/** The window a deep link shows before the alert: the rule's window, or the first long window of its SLO pairs. */
export function ruleWindowMs(rule: CompiledRule | undefined): number {
  if (rule === undefined) return 0;
  if (rule.spec.kind === 'slo_burn')
    return BURN_WINDOW_SETS[rule.spec.slo?.windows ?? 'page'][0]!.longMs;
  return rule.expression.windowMs ?? 0;
}

export function toNotifiedAlert(
  instance: AlertInstance,
  rule: CompiledRule | undefined,
  input: { nowMs: number; publicUrl: string },
): NotifiedAlert {
  const panel = rule?.spec.panel ?? instance.labels.panel ?? '';
  return {
    key: instanceKey(instance),
    projectId: instance.projectId,
    ruleId: instance.ruleId,
    fingerprint: instance.fingerprint,
    status: instance.state === 'firing' ? 'firing' : 'resolved',
    labels: instance.labels,
    annotations: instance.annotations,
    startsAtMs: instance.firedAtMs ?? instance.activeAtMs,
    endsAtMs: instance.state === 'resolved' ? instance.resolvedAtMs : null,
    value: instance.value,
    threshold: instance.threshold,
    panel,
    deepLink: buildDeepLink({
      publicUrl: input.publicUrl,
      panel,
      labels: instance.labels,
      activeAtMs: instance.activeAtMs,
      resolvedAtMs: instance.state === 'resolved' ? instance.resolvedAtMs : null,
      nowMs: input.nowMs,
      windowMs: ruleWindowMs(rule),
    }),
  };
}
