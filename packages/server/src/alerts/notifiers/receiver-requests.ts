import type { ReceiverConfig } from '../alerting-config.ts';
import type { Notification, OutgoingRequest } from '../notification.ts';
import { buildAlertmanagerRequest } from './alertmanager.ts';
import { buildPagerDutyRequests } from './pagerduty.ts';
import { buildSlackRequest } from './slack.ts';
import { buildWebhookRequest } from './webhook.ts';

/** Builds the HTTP requests of every integration of a receiver for one notification. */
export function buildReceiverRequests(
  receiver: ReceiverConfig,
  notification: Notification,
): OutgoingRequest[] {
  return [
    ...receiver.slack_configs.flatMap((config) => buildSlackRequest(config, notification)),
    ...receiver.pagerduty_configs.flatMap((config) => buildPagerDutyRequests(config, notification)),
    ...receiver.webhook_configs.flatMap((config) => buildWebhookRequest(config, notification)),
    ...receiver.alertmanager_configs.flatMap((config) =>
      buildAlertmanagerRequest(config, notification),
    ),
  ];
}
