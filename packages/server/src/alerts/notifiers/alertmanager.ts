import type { AlertmanagerConfig } from '../alerting-config.ts';
import type { Notification, NotifiedAlert, OutgoingRequest } from '../notification.ts';
import { parseDurationMs } from '../../panels/duration.ts';

/** The Alertmanager API v2 path that takes a list of alerts. */
export const ALERTMANAGER_ALERTS_PATH = '/api/v2/alerts';

/** Returns `<url>/api/v2/alerts`, keeping any path prefix of `url` such as `/alertmanager`. */
export function alertmanagerAlertsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${ALERTMANAGER_ALERTS_PATH}`;
}

/**
 * Builds one `POST /api/v2/alerts` request with every alert of the notification.
 * A firing alert ends `firing_ttl` after `nowMs`, because Alertmanager resolves an
 * alert by itself once its end time passes; each repeat moves the end forward. A
 * resolved alert carries its real end time.
 */
export function buildAlertmanagerRequest(
  config: AlertmanagerConfig,
  notification: Notification,
  nowMs: number = Date.now(),
): OutgoingRequest[] {
  const alerts = notification.alerts.filter(
    (alert) => config.send_resolved || alert.status === 'firing',
  );
  if (alerts.length === 0) return [];
  const firingTtlMs = parseDurationMs(config.firing_ttl) ?? 0;
  return [
    {
      integration: 'alertmanager',
      url: alertmanagerAlertsUrl(config.url),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((alert) => postableAlert(alert, nowMs + firingTtlMs))),
      summary: `alertmanager ${notification.status} ${alerts.map((alert) => alert.key).join(',')}`,
    },
  ];
}

function postableAlert(alert: NotifiedAlert, firingEndsAtMs: number): Record<string, unknown> {
  const endsAtMs =
    alert.status === 'resolved' && alert.endsAtMs !== null ? alert.endsAtMs : firingEndsAtMs;
  return {
    labels: alert.labels,
    annotations: { ...alert.annotations, dashboard: alert.deepLink },
    startsAt: new Date(alert.startsAtMs).toISOString(),
    endsAt: new Date(endsAtMs).toISOString(),
    generatorURL: alert.deepLink,
  };
}
