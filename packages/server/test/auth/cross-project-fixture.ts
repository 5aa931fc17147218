import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';
import { CaptureReceivers } from '../alerts/helpers/capture-receivers.ts';
import { ADMIN_PASSWORD, call, login, type Login } from './auth-server.ts';
import {
  grpcOtlp,
  logsRequest,
  metricsRequest,
  postOtlp,
  traceRequest,
  type CallSpec,
} from './otlp-signals.ts';

/** Part of every name project alpha gives its data, so a leak is found by one search. */
export const ALPHA_MARK = 'zq7a';
export const ALPHA_TENANT = `tenant-${ALPHA_MARK}`;
export const ALPHA_RULE_ID = `rule-${ALPHA_MARK}`;
export const ALPHA_SCORE_ID = `score-id-${ALPHA_MARK}`;
export const ALPHA_USER = `user-${ALPHA_MARK}`;
export const ALPHA_PROMPT = `Write to alice.${ALPHA_MARK}@example.com about the balance of account 4711`;
/** Metrics of this feature have no spans, so summaries filtered by it come from metrics. */
export const METRICS_ONLY_FEATURE = 'metrics-only';
export const BETA_TENANT = 'tenant-beta';
export const BETA_PROMPT = 'Summarize the beta release notes';

/** The channels OTLP reaches Foghorn through. */
export const CHANNELS = ['otlp-port', 'main-port', 'grpc'] as const;
export type Channel = (typeof CHANNELS)[number];

const PASSWORD = 'a long enough password 42';

export interface CrossProjectServer {
  handle: FoghornHandle;
  receivers: CaptureReceivers;
  /** An admin API token of project `default` (alpha). */
  alphaToken: string;
  alphaKey: string;
  /** An admin API token of project `beta`, of a user with no role in alpha. */
  betaToken: string;
  betaKey: string;
  /** Alpha's trace id per channel. */
  alphaTraces: Record<Channel, string>;
  /** Beta's trace id per channel. */
  betaTraces: Record<Channel, string>;
  /** Alpha's silence id, as the API returned it. */
  alphaSilenceId: string;
  alphaKeyId: string;
  startUnixMs: number;
  stop(): Promise<void>;
}

function alphaCall(channel: Channel, index: number, endUnixMs: number): CallSpec {
  return {
    traceId: `a7a7${String(index + 1).padStart(28, '0')}`,
    spanId: `a7a7${String(index + 1).padStart(12, '0')}`,
    serviceName: `svc-${ALPHA_MARK}`,
    tenant: ALPHA_TENANT,
    feature: `feature-${ALPHA_MARK}`,
    userId: ALPHA_USER,
    prompt: `${ALPHA_PROMPT} (${channel})`,
    inputTokens: 1_234_567,
    outputTokens: 4_321,
    // Long calls that overlap, so alpha's in-flight level is well above one.
    durationMs: 40_000,
    endUnixMs,
  };
}

/** Sends one signal of a project through one channel and throws unless it is accepted. */
export async function sendSignal(
  handle: FoghornHandle,
  channel: Channel,
  signal: 'traces' | 'metrics' | 'logs',
  body: Uint8Array,
  key: string,
): Promise<void> {
  if (channel === 'grpc') {
    const code = await grpcOtlp(handle.grpcAddress, signal, body, key);
    if (code !== 0) throw new Error(`OTLP/gRPC ${signal} export failed with code ${code}`);
    return;
  }
  const base = channel === 'otlp-port' ? handle.otlpUrl : handle.url;
  const status = await postOtlp(base, signal, body, key);
  if (status !== 200)
    throw new Error(`OTLP/HTTP ${signal} export to ${channel} failed with HTTP ${status}`);
}

function alertingYaml(receiversUrl: string): string {
  return `receivers:
  - name: hooks
    webhook_configs:
      - url: ${receiversUrl}/hook/${ALPHA_MARK}-secret-path
route:
  receiver: hooks
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
`;
}

async function projectAdminToken(url: string, session: Login, name: string): Promise<string> {
  const created = await call(url, 'POST', '/api/v1/auth/tokens', session, { name });
  if (created.status !== 201)
    throw new Error(`creating API token ${name} failed with HTTP ${created.status}`);
  return created.body.token as string;
}

async function createBetaOwner(url: string, admin: Login): Promise<Login> {
  await call(url, 'POST', '/api/v1/auth/projects', admin, { id: 'beta', name: 'Beta' });
  const betaLogin = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD, projectId: 'beta' }),
  });
  const adminInBeta = {
    cookie: betaLogin.headers.get('set-cookie')!.split(';')[0]!,
    csrfToken: ((await betaLogin.json()) as { csrfToken: string }).csrfToken,
  };
  const created = await call(url, 'POST', '/api/v1/auth/users', adminInBeta, {
    username: 'beta-owner',
    password: PASSWORD,
    role: 'admin',
    canReadContent: true,
  });
  if (created.status !== 201)
    throw new Error(`creating user beta-owner failed with HTTP ${created.status}`);
  return login(url, 'beta-owner', PASSWORD);
}

async function seedAlphaApi(url: string, token: string): Promise<string> {
  const writes: [string, string, unknown][] = [
    [
      'POST',
      '/api/v1/scores',
      {
        id: ALPHA_SCORE_ID,
        traceId: alphaCall('otlp-port', 0, 0).traceId,
        name: `faithfulness-${ALPHA_MARK}`,
        value: 0.91,
        comment: `comment-${ALPHA_MARK}`,
      },
    ],
    [
      'POST',
      '/api/v1/alerts/rules',
      {
        id: ALPHA_RULE_ID,
        panel: 'cost-by-tenant',
        expr: 'cost_usd_per_hour by tenant over 1h',
        comparator: '>',
        threshold: 0,
        annotations: { summary: `summary-${ALPHA_MARK} {{ $labels.tenant }}` },
      },
    ],
    ['PUT', `/api/v1/budgets/${ALPHA_TENANT}`, { monthlyUsd: 777.25 }],
    [
      'POST',
      '/api/v1/auth/users',
      { username: `viewer-${ALPHA_MARK}`, password: PASSWORD, role: 'viewer' },
    ],
  ];
  for (const [method, path, body] of writes) {
    const response = await call(url, method, path, token, body);
    if (response.status >= 300)
      throw new Error(
        `${method} ${path} failed with HTTP ${response.status}: ${JSON.stringify(response.body)}`,
      );
  }
  const silence = await call(url, 'POST', '/api/v1/alerts/silences', token, {
    matchers: [`tenant="nobody-${ALPHA_MARK}"`],
    duration: '2h',
    createdBy: `creator-${ALPHA_MARK}`,
    comment: `comment-${ALPHA_MARK}`,
  });
  return silence.body.silenceId as string;
}

/** Sends a project's call, a log record on it and GenAI metrics through every channel. */
async function seedSignals(
  handle: FoghornHandle,
  key: string,
  calls: Record<Channel, CallSpec>,
  mark: string,
): Promise<void> {
  for (const channel of CHANNELS) {
    const spec = calls[channel];
    await sendSignal(handle, channel, 'traces', await traceRequest(spec), key);
    const log = await logsRequest(
      spec.serviceName,
      spec.traceId,
      spec.spanId,
      `log-${mark}-${channel}`,
    );
    await sendSignal(handle, channel, 'logs', log, key);
    const metrics = await metricsRequest(
      `svc-metrics-${mark}`,
      `model-${mark}`,
      spec.tenant,
      METRICS_ONLY_FEATURE,
    );
    await sendSignal(handle, channel, 'metrics', metrics, key);
  }
}

function callsPerChannel(
  build: (channel: Channel, index: number) => CallSpec,
): Record<Channel, CallSpec> {
  return Object.fromEntries(
    CHANNELS.map((channel, index) => [channel, build(channel, index)]),
  ) as Record<Channel, CallSpec>;
}

/** A short call of beta; `index` makes its trace and span ids. */
export function betaCall(endUnixMs: number, index = 0): CallSpec {
  return {
    traceId: `b8b8${String(index + 1).padStart(28, '0')}`,
    spanId: `b8b8${String(index + 1).padStart(12, '0')}`,
    serviceName: 'svc-beta',
    tenant: BETA_TENANT,
    feature: 'feature-beta',
    userId: 'user-beta',
    prompt: BETA_PROMPT,
    inputTokens: 1_000,
    outputTokens: 10,
    durationMs: 200,
    endUnixMs,
  };
}

/**
 * Starts Foghorn with auth on and two projects: alpha (`default`) with data on
 * every channel, rules, a silence, a budget, a score and a firing alert, and
 * beta with one call and an admin who has no role in alpha.
 */
export async function startCrossProjectServer(): Promise<CrossProjectServer> {
  const receivers = new CaptureReceivers();
  await receivers.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-cross-project-'));
  writeFileSync(join(dataDir, 'alerting.yaml'), alertingYaml(receivers.url));
  const startUnixMs = Date.now();
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    alertIntervalMs: 0,
    alertOutboxIntervalMs: 0,
    auth: {
      enabled: true,
      bootstrapAdminPassword: ADMIN_PASSWORD,
      settings: { apiBurst: 1_000_000, apiRatePerSecond: 1_000_000 },
    },
  });
  const admin = await login(handle.url, 'admin', ADMIN_PASSWORD);
  const alphaToken = await projectAdminToken(handle.url, admin, 'alpha');
  const alphaKeyBody = (
    await call(handle.url, 'POST', '/api/v1/auth/keys', admin, { name: `key-${ALPHA_MARK}` })
  ).body;
  const betaOwner = await createBetaOwner(handle.url, admin);
  const betaToken = await projectAdminToken(handle.url, betaOwner, 'beta');
  const betaKey = (
    await call(handle.url, 'POST', '/api/v1/auth/keys', betaOwner, { name: 'key-beta' })
  ).body.key as string;

  const alphaCalls = callsPerChannel((channel, index) =>
    alphaCall(channel, index, startUnixMs - 5_000),
  );
  const betaCalls = callsPerChannel((_channel, index) => betaCall(startUnixMs - 3_000, index));
  await seedSignals(handle, alphaKeyBody.key, alphaCalls, ALPHA_MARK);
  await seedSignals(handle, betaKey, betaCalls, 'beta');
  const alphaSilenceId = await seedAlphaApi(handle.url, alphaToken);
  await handle.alerting.tick();

  const traceIds = (calls: Record<Channel, CallSpec>): Record<Channel, string> =>
    Object.fromEntries(CHANNELS.map((channel) => [channel, calls[channel].traceId])) as Record<
      Channel,
      string
    >;
  return {
    handle,
    receivers,
    alphaToken,
    alphaKey: alphaKeyBody.key,
    alphaKeyId: alphaKeyBody.id,
    betaToken,
    betaKey,
    alphaTraces: traceIds(alphaCalls),
    betaTraces: traceIds(betaCalls),
    alphaSilenceId,
    startUnixMs,
    stop: async () => {
      await handle.close();
      await receivers.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
