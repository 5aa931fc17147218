import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SimulatedClock,
  removeDataDir,
  startAlarmServer,
  type AlarmServer,
} from './helpers/alarm-server.ts';
import { exportCalls, type SimCall } from './helpers/sim-traffic.ts';

const HOUR_MS = 3_600_000;
/** 2026-11-10T00:00Z: 504 hours (21 days) of November are left. */
const AT_MS = Date.UTC(2026, 10, 10);
/** 1000 USD per million input tokens, so 1000 input tokens cost exactly 1 USD. */
const PRICES_YAML = 'overrides:\n  - {model: flat-model, input: 1000, output: 0}\n';
const BUDGETS_YAML = 'tenants:\n  acme: {monthly_usd: 5}\n  globex: {monthly_usd: 100}\n';

let server: AlarmServer | undefined;

afterEach(async () => {
  await server?.close();
  if (server !== undefined) removeDataDir(server.dataDir);
  server = undefined;
});

function flatCall(startMs: number, tenant: string, inputTokens: number): SimCall {
  return {
    startMs,
    durationMs: 1000,
    service: 'support-bot',
    provider: 'openai',
    model: 'flat-model',
    tenant,
    feature: 'chat',
    inputTokens,
    outputTokens: 0,
    errorType: null,
    ttftMs: null,
  };
}

async function startWithCalls(clock: SimulatedClock): Promise<AlarmServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-budget-alarm-'));
  writeFileSync(join(dataDir, 'prices.yaml'), PRICES_YAML);
  // No rule files: the default pack, with tenant-budget-projection, is written.
  const started = await startAlarmServer(clock, { dataDir, budgetsYaml: BUDGETS_YAML });
  await exportCalls(started.otlpUrl, [
    flatCall(Date.UTC(2026, 9, 31, 12), 'acme', 8000),
    flatCall(Date.UTC(2026, 10, 2, 12), 'acme', 1000),
    flatCall(Date.UTC(2026, 10, 5, 12), 'globex', 4000),
    flatCall(Date.UTC(2026, 10, 9, 12), 'acme', 2000),
  ]);
  return started;
}

async function budgetAlerts(alarmServer: AlarmServer): Promise<any[]> {
  const { body } = await alarmServer.json('/api/v1/alerts');
  return body.alerts.filter((alert: any) => alert.ruleId === 'tenant-budget-projection');
}

describe('tenant budget alarm', () => {
  it('uses the calendar-month projection', async () => {
    const clock = new SimulatedClock(AT_MS);
    server = await startWithCalls(clock);

    const { body: projection } = await server.json(
      '/api/v1/llm/cost/projection?groupBy=tenant&at=2026-11-10T00:00:00Z',
    );
    const acme = projection.groups.find((group: any) => group.key === 'acme');
    // Month to date: 1 + 2 USD (the October call is outside). Trailing 168 h from
    // Nov 3 00:00: 2 USD. Projected: 3 + 2 / 168 x 504 = 9 USD, 1.8 of the 5 USD budget.
    expect(projection.remainingHours).toBe(504);
    expect(acme.monthToDateCostUsd).toBeCloseTo(3, 9);
    expect(acme.trailingCostUsd).toBeCloseTo(2, 9);
    expect(acme.monthToDateRequests).toBe(2);
    expect(acme.trailingRequests).toBe(1);
    expect(acme.projectedMonthlyCostUsd).toBeCloseTo(9, 9);
    expect(acme.projectedBudgetRatio).toBeCloseTo(1.8, 9);

    await server.alerting.tick();
    const pending = await budgetAlerts(server);
    // globex: 4 + 4 / 168 x 504 = 16 USD of 100 stays quiet. The run rate of the
    // rule's 24 h window would have given acme 2 / 24 x 720 = 60 USD, 12x the budget.
    expect(pending.map((alert) => [alert.labels.tenant, alert.state])).toEqual([
      ['acme', 'pending'],
    ]);
    expect(pending[0].value).toBeCloseTo(1.8, 9);
    expect(pending[0].threshold).toBe(1);
  });

  it('fires after an hour with the later projection', async () => {
    const clock = new SimulatedClock(AT_MS);
    server = await startWithCalls(clock);
    await server.alerting.tick();

    clock.nowMs = AT_MS + HOUR_MS;
    await server.alerting.tick();
    const firing = await budgetAlerts(server);
    // At 01:00, 503 hours are left and the trailing window still holds the 2 USD call:
    // (3 + 2 / 168 x 503) / 5 = 1.7976.
    expect(firing.map((alert) => [alert.labels.tenant, alert.state])).toEqual([['acme', 'firing']]);
    expect(firing[0].value).toBeCloseTo((3 + (2 / 168) * 503) / 5, 9);
    expect(firing[0].annotations.summary).toBe(
      'tenant acme is projected to spend 179.8% of its monthly budget this calendar month',
    );
  });
});
