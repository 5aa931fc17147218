import {
  PUBLIC_URL,
  SimulatedClock,
  removeDataDir,
  startAlarmServer,
  type AlarmServer,
  type AlarmServerOptions,
} from './alarm-server.ts';
import { CaptureReceivers, alertingYaml } from './capture-receivers.ts';
import { exportCalls, type SimCall } from './sim-traffic.ts';

export const MINUTE_MS = 60_000;
export const START_MS = Date.UTC(2026, 10, 9, 12);

/**
 * Rules for the delivery tests: `slow-calls` pages on the median call duration of
 * the last minute above 1 s (resolving at 950 ms), `provider-errors` pages when
 * more than half of a provider's calls in the last minute failed.
 */
export const TEST_RULES_YAML = `rules:
  - id: slow-calls
    panel: latency
    expr: latency_p50_ms by model over 1m
    comparator: ">"
    threshold: 1000
    severity: page
    annotations:
      summary: "median latency of {{ $labels.model }} is {{ $value }} ms"
  - id: provider-errors
    panel: errors
    expr: error_ratio by provider over 1m
    comparator: ">"
    threshold: 0.5
    severity: page
`;

export const INHIBIT_YAML = `inhibit_rules:
  - source_matchers: ['alertname="provider-errors"']
    target_matchers: ['alertname="slow-calls"']
`;

/** A server with the test rules, a simulated clock and local receivers; group_wait is 0 so a firing alert is sent at once. */
export class AlarmFixture {
  readonly clock = new SimulatedClock(START_MS);
  readonly receivers = new CaptureReceivers();
  server!: AlarmServer;

  async start(options: { inhibit?: boolean; dataDir?: string } = {}): Promise<void> {
    if (this.receivers.url === '') await this.receivers.start();
    await this.startServer({
      dataDir: options.dataDir,
      ruleFiles: options.dataDir === undefined ? { 'test.yaml': TEST_RULES_YAML } : undefined,
      alertingYaml: alertingYaml(this.receivers.url, {
        groupWait: '0s',
        inhibit: options.inhibit === true ? INHIBIT_YAML : '',
      }),
    });
  }

  async startServer(options: AlarmServerOptions): Promise<void> {
    this.server = await startAlarmServer(this.clock, options);
  }

  /** Sends `count` gpt-4o calls that start in the minute before `atMs` and take `durationMs`, then evaluates at `atMs`. */
  async tickWithCalls(
    atMs: number,
    durationMs: number,
    options: { count?: number; failed?: boolean } = {},
  ): Promise<void> {
    const calls: SimCall[] = [];
    for (let i = 0; i < (options.count ?? 3); i++)
      calls.push(
        gpt4oCall(atMs - MINUTE_MS + 5_000 + i * 10_000, durationMs, options.failed === true),
      );
    this.clock.nowMs = atMs;
    await exportCalls(this.server.otlpUrl, calls);
    await this.server.alerting.tick();
  }

  /** PagerDuty events the receiver accepted, as `action rule`. */
  pages(): string[] {
    return this.receivers
      .pagerDutyEvents()
      .map(
        (event) => `${event.event_action} ${event.payload?.class ?? event.dedup_key.split('/')[1]}`,
      );
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.receivers.stop();
    if (this.server) removeDataDir(this.server.dataDir);
  }
}

function gpt4oCall(startMs: number, durationMs: number, failed: boolean): SimCall {
  return {
    startMs,
    durationMs,
    service: 'support-bot',
    provider: 'openai',
    model: 'gpt-4o',
    tenant: 'acme',
    feature: 'chat',
    inputTokens: 100,
    outputTokens: 50,
    errorType: failed ? 'server_error' : null,
    ttftMs: null,
  };
}

/** Splits a dashboard deep link into the parts the tests check. */
export function deepLinkParts(href: string): {
  origin: string;
  panel: string | null;
  model: string | null;
  fromMs: number;
  toMs: number;
} {
  const link = new URL(href);
  return {
    origin: link.origin,
    panel: link.searchParams.get('panel'),
    model: link.searchParams.get('model'),
    fromMs: Number(link.searchParams.get('from')),
    toMs: Number(link.searchParams.get('to')),
  };
}

export { PUBLIC_URL };
