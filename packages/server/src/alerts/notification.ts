import type { Labels } from './labels.ts';

export type AlertStatus = 'firing' | 'resolved';

/** One alert as the notifiers see it. */
export interface NotifiedAlert {
  /** `projectId/ruleId/fingerprint`. */
  key: string;
  /** The project of the rule; also the alert's `project` label. */
  projectId: string;
  ruleId: string;
  fingerprint: string;
  status: AlertStatus;
  labels: Labels;
  annotations: Record<string, string>;
  startsAtMs: number;
  endsAtMs: number | null;
  value: number;
  threshold: number;
  panel: string;
  /** Dashboard link that opens the panel on the alert's time range and labels. */
  deepLink: string;
}

/** Why a notification is sent, in Alertmanager's words. */
export type NotificationReason =
  | 'first notification'
  | 'new alerts added'
  | 'some alerts resolved'
  | 'all alerts resolved'
  | 'repeat interval elapsed'
  | 'test notification';

/** A group of alerts sent to one receiver at one flush. */
export interface Notification {
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  status: AlertStatus;
  reason: NotificationReason;
  alerts: NotifiedAlert[];
  /** Keys of alerts that were not firing at the previous notification of this group. */
  newlyFiring: string[];
  /** Keys of alerts that were firing at the previous notification and are resolved now. */
  newlyResolved: string[];
  externalUrl: string;
}

/** One HTTP POST that an integration wants delivered. */
export interface OutgoingRequest {
  integration: 'slack' | 'pagerduty' | 'webhook' | 'alertmanager';
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Short description for logs and the outbox API, without secrets. */
  summary: string;
}
