import type { AlertingConfig } from './alerting-config.ts';
import { findRouteByName } from './alerting-config.ts';
import type { OutboxRecord } from './alert-store.ts';
import { ruleKey, type CompiledRule } from './compiled-rule.ts';
import { buildDeepLink } from './deep-link.ts';
import { ruleWindowMs, toOutboxRecord } from './dispatcher.ts';
import { alertLabels } from './evaluator.ts';
import { fingerprintLabels } from './labels.ts';
import type { Notification, NotifiedAlert } from './notification.ts';
import { buildReceiverRequests } from './notifiers/receiver-requests.ts';
import { matchRoutes } from './routing.ts';
import { expandTemplate } from './template.ts';

/**
 * Builds the requests of a test notification for a rule: a firing alert with the
 * rule's labels (and `test` as the group value), sent to every receiver its route
 * reaches, marked with the label `test="true"`.
 */
export function sendTestNotification(
  rule: CompiledRule,
  config: AlertingConfig,
  nowMs: number,
  publicUrl: string,
): OutboxRecord[] {
  const groupLabels = rule.expression.by === null ? {} : { [rule.expression.by]: 'test' };
  const labels = { ...alertLabels(rule, groupLabels), test: 'true' };
  const fingerprint = fingerprintLabels(labels);
  const data = { labels, value: rule.threshold, threshold: rule.threshold };
  const annotations = Object.fromEntries(
    Object.entries({
      summary: 'test notification for {{ $labels.alertname }}',
      ...rule.spec.annotations,
    }).map(([name, template]) => [name, `[test] ${expandTemplate(template, data)}`]),
  );
  const alert: NotifiedAlert = {
    key: `${ruleKey(rule.projectId, rule.id)}/${fingerprint}`,
    projectId: rule.projectId,
    ruleId: rule.id,
    fingerprint,
    status: 'firing',
    labels,
    annotations,
    startsAtMs: nowMs,
    endsAtMs: null,
    value: rule.threshold,
    threshold: rule.threshold,
    panel: rule.spec.panel,
    deepLink: buildDeepLink({
      publicUrl,
      panel: rule.spec.panel,
      labels,
      activeAtMs: nowMs,
      resolvedAtMs: null,
      nowMs,
      windowMs: ruleWindowMs(rule),
    }),
  };
  const named =
    rule.spec.route === undefined ? null : findRouteByName(config.route, rule.spec.route);
  const nodes = named !== null ? [named] : matchRoutes(config.route, labels);
  const records: OutboxRecord[] = [];
  for (const node of nodes) {
    const receiver = config.receivers.find((candidate) => candidate.name === node.receiver);
    if (receiver === undefined) continue;
    const notification: Notification = {
      receiver: receiver.name,
      groupKey: `test:${alert.key}`,
      groupLabels: {},
      status: 'firing',
      reason: 'test notification',
      alerts: [alert],
      newlyFiring: [alert.key],
      newlyResolved: [],
      externalUrl: publicUrl,
    };
    records.push(
      ...buildReceiverRequests(receiver, notification).map((request) =>
        toOutboxRecord(receiver.name, rule.projectId, request, nowMs),
      ),
    );
  }
  return records;
}
