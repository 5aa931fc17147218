import type { SlackConfig } from '../alerting-config.ts';
import type { Notification, NotifiedAlert, OutgoingRequest } from '../notification.ts';
import { formatNumber } from '../template.ts';

/** Slack shows at most 50 blocks; two header blocks leave room for 12 alerts of 4 blocks. */
const MAX_ALERT_SECTIONS = 12;
const MAX_SECTION_CHARS = 2900;
const MAX_HEADER_CHARS = 150;

/** Builds a Slack incoming-webhook message: a header, one section per alert with value, threshold, severity and the panel link. */
export function buildSlackRequest(
  config: SlackConfig,
  notification: Notification,
): OutgoingRequest[] {
  const alerts = notification.alerts.filter(
    (alert) => config.send_resolved || alert.status === 'firing',
  );
  if (alerts.length === 0) return [];
  const title = slackTitle(notification, alerts);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, MAX_HEADER_CHARS) } },
  ];
  for (const alert of alerts.slice(0, MAX_ALERT_SECTIONS)) blocks.push(...alertBlocks(alert));
  if (alerts.length > MAX_ALERT_SECTIONS) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `${alerts.length - MAX_ALERT_SECTIONS} more alerts are not shown` },
      ],
    });
  }
  const text = [title, ...alerts.map((alert) => `${alertLine(alert)} ${alert.deepLink}`)].join(
    '\n',
  );
  return [
    {
      integration: 'slack',
      url: config.webhook_url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, blocks }),
      summary: `slack ${notification.status} ${alerts.map((alert) => alert.key).join(',')}`,
    },
  ];
}

function slackTitle(notification: Notification, alerts: NotifiedAlert[]): string {
  const firing = alerts.filter((alert) => alert.status === 'firing').length;
  const status = firing > 0 ? `FIRING:${firing}` : 'RESOLVED';
  const names = [...new Set(alerts.map((alert) => alert.ruleId))].join(', ');
  return `[${status}] ${names}`;
}

function alertLine(alert: NotifiedAlert): string {
  const icon = alert.status === 'firing' ? ':rotating_light:' : ':white_check_mark:';
  return `${icon} ${alert.annotations.summary ?? alert.ruleId}`;
}

function alertBlocks(alert: NotifiedAlert): unknown[] {
  const severity = alert.labels.severity ?? 'none';
  const fields = [
    `*Value*\n${formatNumber(alert.value)} (threshold ${formatNumber(alert.threshold)})`,
    `*Severity*\n${severity}`,
    `*Status*\n${alert.status}`,
    `*Labels*\n${labelText(alert)}`,
  ];
  const description =
    alert.annotations.description === undefined ? '' : `\n${alert.annotations.description}`;
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${alertLine(alert)}*${description}`, MAX_SECTION_CHARS),
      },
    },
    {
      type: 'section',
      fields: fields.map((text) => ({ type: 'mrkdwn', text: truncate(text, 1900) })),
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `<${alert.deepLink}|Open the ${alert.panel} panel>` },
    },
    { type: 'divider' },
  ];
}

function labelText(alert: NotifiedAlert): string {
  const hidden = new Set(['alertname', 'severity', 'panel']);
  const pairs = Object.entries(alert.labels).filter(([name]) => !hidden.has(name));
  return pairs.length === 0
    ? '(none)'
    : pairs.map(([name, value]) => `${name}=${value}`).join(', ');
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
