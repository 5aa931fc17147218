import type { WebhookConfig } from '../alerting-config.ts';
import type { Labels } from '../labels.ts';
import type { Notification, NotifiedAlert, OutgoingRequest } from '../notification.ts';

/** Alertmanager writes the zero time as the end of a firing alert. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Builds an Alertmanager version-4 webhook body, with Foghorn's own fields under `foghorn`. */
export function buildWebhookRequest(
  config: WebhookConfig,
  notification: Notification,
): OutgoingRequest[] {
  const alerts = notification.alerts.filter(
    (alert) => config.send_resolved || alert.status === 'firing',
  );
  if (alerts.length === 0) return [];
  const sent = config.max_alerts > 0 ? alerts.slice(0, config.max_alerts) : alerts;
  const body = {
    version: '4',
    groupKey: notification.groupKey,
    truncatedAlerts: alerts.length - sent.length,
    status: notification.status,
    receiver: notification.receiver,
    groupLabels: notification.groupLabels,
    commonLabels: commonEntries(alerts.map((alert) => alert.labels)),
    commonAnnotations: commonEntries(alerts.map((alert) => alert.annotations)),
    externalURL: notification.externalUrl,
    notification_reason: notification.reason,
    alerts: sent.map(webhookAlert),
    foghorn: {
      panels: [...new Set(sent.map((alert) => alert.panel))],
      ruleIds: [...new Set(sent.map((alert) => alert.ruleId))],
    },
  };
  return [
    {
      integration: 'webhook',
      url: config.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      summary: `webhook ${notification.status} ${sent.map((alert) => alert.key).join(',')}`,
    },
  ];
}

function webhookAlert(alert: NotifiedAlert): Record<string, unknown> {
  return {
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.startsAtMs).toISOString(),
    endsAt: alert.endsAtMs === null ? ZERO_TIME : new Date(alert.endsAtMs).toISOString(),
    generatorURL: alert.deepLink,
    fingerprint: alert.fingerprint,
    foghorn: {
      ruleId: alert.ruleId,
      panel: alert.panel,
      value: alert.value,
      threshold: alert.threshold,
      panelUrl: alert.deepLink,
    },
  };
}

function commonEntries(maps: Labels[]): Labels {
  const [first, ...rest] = maps;
  if (first === undefined) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([name, value]) => rest.every((map) => map[name] === value)),
  );
}
