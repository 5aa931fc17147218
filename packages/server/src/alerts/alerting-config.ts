import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { parseDurationMs } from '../panels/duration.ts';
import { parseMatcher, type Matcher } from './matchers.ts';
import { maskSecret, maskUrl } from '../crypto/mask-secret.ts';

/** The receivers, route tree and inhibition rules file inside the data directory. */
export const ALERTING_FILE_NAME = 'alerting.yaml';

const duration = z
  .string()
  .refine((text) => parseDurationMs(text) !== null, 'expected a duration such as 30s, 5m or 4h');
const matcherText = z.string().transform((text, context) => {
  try {
    return parseMatcher(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const slackSchema = z.strictObject({
  webhook_url: z.url(),
  send_resolved: z.boolean().default(true),
});
const pagerDutySchema = z.strictObject({
  routing_key: z.string().min(1),
  url: z.url().default('https://events.pagerduty.com/v2/enqueue'),
  send_resolved: z.boolean().default(true),
});
const webhookSchema = z.strictObject({
  url: z.url(),
  send_resolved: z.boolean().default(true),
  max_alerts: z.number().int().min(0).default(0),
});

const alertmanagerSchema = z.strictObject({
  /** Base URL of an Alertmanager, such as http://alertmanager:9093; alerts go to `<url>/api/v2/alerts`. */
  url: z.url(),
  send_resolved: z.boolean().default(true),
  /**
   * How long after each notification a firing alert stays active in Alertmanager
   * unless Foghorn sends it again; keep it above the route's repeat_interval.
   */
  firing_ttl: duration.default('9h'),
});

const receiverSchema = z.strictObject({
  name: z.string().min(1),
  slack_configs: z.array(slackSchema).default([]),
  pagerduty_configs: z.array(pagerDutySchema).default([]),
  webhook_configs: z.array(webhookSchema).default([]),
  alertmanager_configs: z.array(alertmanagerSchema).default([]),
});

interface RouteInput {
  name?: string | undefined;
  receiver?: string | undefined;
  matchers?: string[] | undefined;
  group_by?: string[] | undefined;
  group_wait?: string | undefined;
  group_interval?: string | undefined;
  repeat_interval?: string | undefined;
  continue?: boolean | undefined;
  routes?: RouteInput[] | undefined;
}

const routeSchema: z.ZodType<RouteInput> = z.lazy(() =>
  z.strictObject({
    name: z.string().optional(),
    receiver: z.string().optional(),
    matchers: z.array(z.string()).optional(),
    group_by: z.array(z.string()).optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    continue: z.boolean().optional(),
    routes: z.array(routeSchema).optional(),
  }),
);

const inhibitSchema = z.strictObject({
  name: z.string().optional(),
  source_matchers: z.array(matcherText).min(1),
  target_matchers: z.array(matcherText).min(1),
  equal: z.array(z.string()).default([]),
});

const alertingFileSchema = z.strictObject({
  receivers: z.array(receiverSchema).default([]),
  route: routeSchema.optional(),
  inhibit_rules: z.array(inhibitSchema).default([]),
});

export type ReceiverConfig = z.output<typeof receiverSchema>;
export type SlackConfig = z.output<typeof slackSchema>;
export type PagerDutyConfig = z.output<typeof pagerDutySchema>;
export type WebhookConfig = z.output<typeof webhookSchema>;
export type AlertmanagerConfig = z.output<typeof alertmanagerSchema>;
export type InhibitRule = z.output<typeof inhibitSchema>;

/** A route with every inherited setting filled in. */
export interface RouteNode {
  /** Position in the tree, such as `0.1`, used in group keys. */
  path: string;
  name: string | null;
  receiver: string | null;
  matchers: Matcher[];
  /** Label names to group by; `['...']` puts each alert in its own group. */
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  continue: boolean;
  routes: RouteNode[];
}

export interface AlertingConfig {
  receivers: ReceiverConfig[];
  route: RouteNode;
  inhibitRules: InhibitRule[];
}

/** Alertmanager's defaults for timers, so behaviour matches what users know. */
export const ROUTE_DEFAULTS = Object.freeze({
  groupBy: ['alertname'],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
});

/** Reads `<dataDir>/alerting.yaml`; without the file there are no receivers and alerts are only shown. */
export function loadAlertingConfig(dataDir: string): AlertingConfig {
  const path = join(dataDir, ALERTING_FILE_NAME);
  if (!existsSync(path)) return parseAlertingConfig({}, path);
  return parseAlertingConfig(parse(readFileSync(path, 'utf8')) ?? {}, path);
}

/** Validates an alerting configuration object; throws a ConfigError naming the file, the field and the fix. */
export function parseAlertingConfig(input: unknown, source: string): AlertingConfig {
  const parsed = alertingFileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      `${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const receivers = parsed.data.receivers;
  const route = buildRoute(parsed.data.route ?? {}, null, '0', source);
  checkReceivers(route, new Set(receivers.map((receiver) => receiver.name)), source);
  return { receivers, route, inhibitRules: parsed.data.inhibit_rules };
}

function buildRoute(
  input: RouteInput,
  parent: RouteNode | null,
  path: string,
  source: string,
): RouteNode {
  if (parent === null && input.matchers !== undefined && input.matchers.length > 0) {
    throw new ConfigError(
      `${source}: route.matchers: the root route matches every alert and cannot have matchers; move them to a child route`,
    );
  }
  const node: RouteNode = {
    path,
    name: input.name ?? null,
    receiver: input.receiver ?? parent?.receiver ?? null,
    matchers: (input.matchers ?? []).map((text) => parseRouteMatcher(text, source)),
    groupBy: input.group_by ?? parent?.groupBy ?? ROUTE_DEFAULTS.groupBy,
    groupWaitMs: durationOr(input.group_wait, parent?.groupWaitMs ?? ROUTE_DEFAULTS.groupWaitMs),
    groupIntervalMs: durationOr(
      input.group_interval,
      parent?.groupIntervalMs ?? ROUTE_DEFAULTS.groupIntervalMs,
    ),
    repeatIntervalMs: durationOr(
      input.repeat_interval,
      parent?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs,
    ),
    continue: input.continue ?? false,
    routes: [],
  };
  if (node.groupIntervalMs === 0)
    throw new ConfigError(
      `${source}: route ${path}: group_interval cannot be zero; use 5m or similar`,
    );
  node.routes = (input.routes ?? []).map((child, index) =>
    buildRoute(child, node, `${path}.${index}`, source),
  );
  return node;
}

function parseRouteMatcher(text: string, source: string): Matcher {
  try {
    return parseMatcher(text);
  } catch (error) {
    throw new ConfigError(`${source}: route matchers: ${(error as Error).message}`);
  }
}

function durationOr(text: string | undefined, fallbackMs: number): number {
  return text === undefined ? fallbackMs : (parseDurationMs(text) ?? fallbackMs);
}

function checkReceivers(route: RouteNode, names: Set<string>, source: string): void {
  if (route.receiver !== null && !names.has(route.receiver)) {
    throw new ConfigError(
      `${source}: route ${route.path}: undefined receiver "${route.receiver}"; define it under receivers: or use one of ${[...names].join(', ') || '(none defined)'}`,
    );
  }
  for (const child of route.routes) checkReceivers(child, names, source);
}

/** Returns a copy of a receiver with its webhook URLs and routing keys masked, for API responses and logs. */
export function maskReceiver(receiver: ReceiverConfig): ReceiverConfig {
  return {
    ...receiver,
    slack_configs: receiver.slack_configs.map((config) => ({
      ...config,
      webhook_url: maskUrl(config.webhook_url),
    })),
    pagerduty_configs: receiver.pagerduty_configs.map((config) => ({
      ...config,
      routing_key: maskSecret(config.routing_key),
    })),
    webhook_configs: receiver.webhook_configs.map((config) => ({
      ...config,
      url: maskUrl(config.url),
    })),
    alertmanager_configs: receiver.alertmanager_configs.map((config) => ({
      ...config,
      url: maskUrl(config.url),
    })),
  };
}

/** Finds a route by name for rules that name their route. */
export function findRouteByName(route: RouteNode, name: string): RouteNode | null {
  if (route.name === name) return route;
  for (const child of route.routes) {
    const found = findRouteByName(child, name);
    if (found !== null) return found;
  }
  return null;
}
