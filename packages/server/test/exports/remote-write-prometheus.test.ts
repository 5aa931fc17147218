import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random, exportCalls, generateCalls } from '../alerts/helpers/sim-traffic.ts';
import { startFoghornWith, type RunningFoghorn } from './foghorn-under-test.ts';
import {
  findPrometheusTool,
  startPrometheus,
  valuesByLabel,
  waitForQueryValue,
  type PrometheusProcess,
} from './prometheus-process.ts';

const PROMETHEUS = findPrometheusTool('prometheus');
const MINUTE_MS = 60_000;

/** The store sums cost as DECIMAL(38, 12), so both sides agree to 12 decimals. */
function usd12(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}

if (PROMETHEUS === null)
  console.warn(
    'remote-write-prometheus: skipped because the prometheus binary is missing and scripts/install-test-deps.sh could not install it',
  );

describe.skipIf(PROMETHEUS === null)('Prometheus remote write', () => {
  let foghorn: RunningFoghorn;
  let prometheus: PrometheusProcess;
  let callCount = 0;
  const summaries = new Map<string, Map<string, any>>();

  beforeAll(async () => {
    prometheus = await startPrometheus(PROMETHEUS!, null);
    foghorn = await startFoghornWith({
      remoteWrite: { urls: [`${prometheus.url}/api/v1/write`], intervalMs: 500 },
    });
    const endMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 2 * MINUTE_MS;
    const calls = generateCalls(new Random(11), endMs - 10 * MINUTE_MS, endMs, 20, () => ({
      providerRateLimitShare: { anthropic: 0.1 },
    }));
    callCount = calls.length;
    await exportCalls(foghorn.otlpUrl, calls);

    const arrived = await waitForQueryValue(
      prometheus,
      'sum(foghorn_llm_requests_total)',
      callCount,
      30_000,
    );
    if (!arrived) throw new Error(`Prometheus did not receive ${callCount} calls within 30 s`);
    for (const groupBy of ['model', 'tenant']) {
      const body = await foghorn.getJson(
        `/api/v1/llm/summary?groupBy=${groupBy}&from=${endMs - 20 * MINUTE_MS}&to=${Date.now() + MINUTE_MS}`,
      );
      summaries.set(groupBy, new Map(body.groups.map((group: any) => [group.key, group])));
    }
  }, 120_000);

  afterAll(async () => {
    await foghorn?.stop();
    await prometheus?.stop();
  });

  it('requests and errors per model match', async () => {
    const summary = summaries.get('model')!;
    const requests = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_requests_total)'),
      'model',
    );
    const errors = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_errors_total)'),
      'model',
    );
    expect(callCount).toBeGreaterThan(50);
    expect([...requests.keys()].sort()).toEqual([...summary.keys()].sort());
    for (const [model, group] of summary) {
      expect(requests.get(model), model).toBe(group.requests);
      expect(errors.get(model) ?? 0, model).toBe(group.errors);
    }
    expect(summary.get('claude-sonnet-4').errors).toBeGreaterThan(0);
  });

  it('tokens per model match', async () => {
    const summary = summaries.get('model')!;
    const input = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_tokens_total{token_type="input"})'),
      'model',
    );
    const output = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_tokens_total{token_type="output"})'),
      'model',
    );
    for (const [model, group] of summary) {
      expect(input.get(model), model).toBe(group.tokens.input);
      expect(output.get(model), model).toBe(group.tokens.output);
    }
  });

  it('cost per model and tenant match', async () => {
    for (const [groupBy, label] of [
      ['model', 'model'],
      ['tenant', 'tenant_id'],
    ] as const) {
      const summary = summaries.get(groupBy)!;
      const cost = valuesByLabel(
        await prometheus.query(`sum by (${label}) (foghorn_llm_cost_usd_total)`),
        label,
      );
      for (const [key, group] of summary) {
        expect(group.costUsd, key).toBeGreaterThan(0);
        expect(usd12(cost.get(key) ?? 0), key).toBe(usd12(group.costUsd));
      }
    }
  });

  it('histogram series arrive with every bucket', async () => {
    const counts = valuesByLabel(
      await prometheus.query(
        'sum by (model) (gen_ai_client_operation_duration_seconds_bucket{le="+Inf"})',
      ),
      'model',
    );
    for (const [model, group] of summaries.get('model')!)
      expect(counts.get(model), model).toBe(group.requests);
  });

  it('delivered requests are counted', async () => {
    const text = await (await fetch(`${foghorn.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (entry) =>
          entry.startsWith('foghorn_remote_write_requests_total{') &&
          entry.includes('result="delivered"'),
      );
    expect(line).toBeDefined();
    expect(Number(line!.split(' ').at(-1))).toBeGreaterThan(0);
    expect(text).not.toContain('foghorn_remote_write_requests_total{result="failed"');
  });
});
