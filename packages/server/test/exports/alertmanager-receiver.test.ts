import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_RULES_YAML, deepLinkParts } from '../alerts/helpers/alarm-fixture.ts';
import {
  PUBLIC_URL,
  SimulatedClock,
  removeDataDir,
  startAlarmServer,
  type AlarmServer,
} from '../alerts/helpers/alarm-server.ts';
import { exportCalls, type SimCall } from '../alerts/helpers/sim-traffic.ts';
import {
  findAlertmanager,
  startAlertmanager,
  type AlertmanagerProcess,
  type GettableAlert,
} from './alertmanager-process.ts';

const ALERTMANAGER = findAlertmanager();
const MINUTE_MS = 60_000;
/** Simulated time runs behind the wall clock, so a resolved alert's end is already past for Alertmanager. */
const START_MS = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 30 * MINUTE_MS;

if (ALERTMANAGER === null)
  console.warn(
    'alertmanager-receiver: skipped because prometheus-alertmanager is missing; run scripts/install-test-deps.sh as root',
  );

function alertingYaml(alertmanagerUrl: string): string {
  return `receivers:
  - name: alertmanager
    alertmanager_configs:
      - url: ${alertmanagerUrl}
route:
  receiver: alertmanager
  group_by: ['...']
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
`;
}

function gpt4oCalls(atMs: number, durationMs: number): SimCall[] {
  return [0, 1, 2].map((index) => ({
    startMs: atMs - MINUTE_MS + 5_000 + index * 10_000,
    durationMs,
    service: 'support-bot',
    provider: 'openai',
    model: 'gpt-4o',
    tenant: 'acme',
    feature: 'chat',
    inputTokens: 100,
    outputTokens: 50,
    errorType: null,
    ttftMs: null,
  }));
}

describe.skipIf(ALERTMANAGER === null)('Alertmanager receiver', () => {
  const clock = new SimulatedClock(START_MS);
  let alertmanager: AlertmanagerProcess;
  let foghorn: AlarmServer;

  async function tick(atMs: number, durationMs: number): Promise<void> {
    clock.nowMs = atMs;
    await exportCalls(foghorn.otlpUrl, gpt4oCalls(atMs, durationMs));
    await foghorn.alerting.tick();
  }

  async function slowCallsAlert(): Promise<GettableAlert | undefined> {
    const alerts = await alertmanager.alerts();
    return alerts.find((alert) => alert.labels.alertname === 'slow-calls');
  }

  beforeAll(async () => {
    alertmanager = await startAlertmanager(ALERTMANAGER!);
    foghorn = await startAlarmServer(clock, {
      ruleFiles: { 'test.yaml': TEST_RULES_YAML },
      alertingYaml: alertingYaml(alertmanager.url),
    });
  }, 60_000);

  afterAll(async () => {
    await foghorn?.close();
    if (foghorn) removeDataDir(foghorn.dataDir);
    await alertmanager?.stop();
  });

  it('firing alert reaches Alertmanager', async () => {
    await tick(START_MS, 2000);
    const foghornAlerts = (await foghorn.json('/api/v1/alerts')).body.alerts;
    expect(foghornAlerts.map((alert: any) => [alert.ruleId, alert.state])).toEqual([
      ['slow-calls', 'firing'],
    ]);
    const expected = foghornAlerts[0];

    const alert = await slowCallsAlert();
    expect(alert).toBeDefined();
    expect(alert!.status.state).toBe('active');
    expect(alert!.labels).toEqual(expected.labels);
    expect(alert!.labels.model).toBe('gpt-4o');
    expect(alert!.labels.severity).toBe('page');
    expect(alert!.annotations.summary).toBe('median latency of gpt-4o is 2000 ms');
    expect(alert!.annotations.dashboard).toBe(expected.deepLink);
    expect(alert!.generatorURL).toBe(expected.deepLink);
    expect(deepLinkParts(alert!.generatorURL)).toMatchObject({
      origin: PUBLIC_URL,
      panel: 'latency',
      model: 'gpt-4o',
    });
    expect(Date.parse(alert!.startsAt)).toBe(expected.startsAtMs);
    expect(Date.parse(alert!.endsAt)).toBeGreaterThan(Date.now());
  });

  it('resolve ends the alert in Alertmanager', async () => {
    let resolvedAtMs: number | null = null;
    for (let step = 1; step <= 8 && resolvedAtMs === null; step++) {
      await tick(START_MS + step * MINUTE_MS, 400);
      const firing = (await foghorn.json('/api/v1/alerts')).body.alerts;
      if (firing.length === 0) resolvedAtMs = clock.nowMs;
    }
    expect(resolvedAtMs).not.toBeNull();

    const outbox = await foghorn.json('/api/v1/alerts/outbox?status=pending');
    expect(outbox.body.outbox).toEqual([]);
    expect(await slowCallsAlert()).toBeUndefined();
  });
});
