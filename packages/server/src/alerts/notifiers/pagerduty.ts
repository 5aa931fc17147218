import type { PagerDutyConfig } from '../alerting-config.ts';
import type { Notification, NotifiedAlert, OutgoingRequest } from '../notification.ts';
import { formatNumber } from '../template.ts';
import { lookupTable } from '../../lookup-table.ts';

const MAX_SUMMARY_CHARS = 1024;
const SEVERITY_MAP: Readonly<Record<string, string>> = lookupTable({
  page: 'critical',
  ticket: 'warning',
  info: 'info',
});

/** The PagerDuty dedup key of an alert: stable across restarts, so a resolve closes the incident its trigger opened. */
export function pagerDutyDedupKey(alert: Pick<NotifiedAlert, 'ruleId' | 'fingerprint'>): string {
  return `foghorn/${alert.ruleId}/${alert.fingerprint}`;
}

/**
 * Builds Events API v2 requests: a trigger for each alert that started firing,
 * a resolve for each that resolved, and on a repeat a trigger for every firing
 * alert (PagerDuty folds repeats into the open incident by dedup key).
 */
export function buildPagerDutyRequests(
  config: PagerDutyConfig,
  notification: Notification,
): OutgoingRequest[] {
  const repeat =
    notification.reason === 'repeat interval elapsed' ||
    notification.reason === 'test notification';
  const requests: OutgoingRequest[] = [];
  for (const alert of notification.alerts) {
    if (alert.status === 'firing' && (repeat || notification.newlyFiring.includes(alert.key))) {
      requests.push(eventRequest(config, notification, alert, 'trigger'));
    }
    if (
      alert.status === 'resolved' &&
      config.send_resolved &&
      notification.newlyResolved.includes(alert.key)
    ) {
      requests.push(eventRequest(config, notification, alert, 'resolve'));
    }
  }
  return requests;
}

function eventRequest(
  config: PagerDutyConfig,
  notification: Notification,
  alert: NotifiedAlert,
  action: 'trigger' | 'resolve',
): OutgoingRequest {
  const dedupKey = pagerDutyDedupKey(alert);
  const event: Record<string, unknown> = {
    routing_key: config.routing_key,
    event_action: action,
    dedup_key: dedupKey,
  };
  if (action === 'trigger') {
    event.payload = triggerPayload(alert);
    event.links = [{ href: alert.deepLink, text: `Open the ${alert.panel} panel in Foghorn` }];
    event.client = 'Foghorn';
    event.client_url = notification.externalUrl;
  }
  return {
    integration: 'pagerduty',
    url: config.url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
    summary: `pagerduty ${action} ${alert.key}`,
  };
}

function triggerPayload(alert: NotifiedAlert): Record<string, unknown> {
  const summary = `${alert.ruleId}: ${alert.annotations.summary ?? `${formatNumber(alert.value)} against ${formatNumber(alert.threshold)}`}`;
  return {
    summary: summary.slice(0, MAX_SUMMARY_CHARS),
    source: alert.labels.service ?? 'foghorn',
    severity: SEVERITY_MAP[alert.labels.severity ?? ''] ?? 'error',
    timestamp: new Date(alert.startsAtMs).toISOString(),
    component: alert.labels.model ?? alert.labels.tenant ?? alert.labels.feature,
    group: alert.panel,
    class: alert.ruleId,
    custom_details: {
      value: alert.value,
      threshold: alert.threshold,
      labels: alert.labels,
      annotations: alert.annotations,
      dashboard: alert.deepLink,
    },
  };
}
