import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTraces, traceBody } from '../pricing/otlp-json.ts';
import { buildCalls, startFoghornWith, type RunningFoghorn } from './foghorn-under-test.ts';
import {
  findPrometheusTool,
  startPrometheus,
  valuesByLabel,
  waitForQueryValue,
  type PrometheusProcess,
} from './prometheus-process.ts';

const PROMETHEUS = findPrometheusTool('prometheus');
const TENANTS = ['acme', 'globex', 'initech'];
const CALLS = 60;

if (PROMETHEUS === null)
  console.warn(
    'prometheus-scrape: skipped because the prometheus binary is missing and scripts/install-test-deps.sh could not install it',
  );

describe.skipIf(PROMETHEUS === null)('Prometheus scrape of /metrics', () => {
  let foghorn: RunningFoghorn;
  let prometheus: PrometheusProcess;
  let summary: Map<string, any>;

  beforeAll(async () => {
    foghorn = await startFoghornWith();
    prometheus = await startPrometheus(PROMETHEUS!, new URL(foghorn.url).host);
    // Two rounds, so that rate() measures each tenant's counters growing between scrapes.
    for (const round of [0, 1]) {
      const spans = buildCalls(CALLS / 2, Date.now(), TENANTS, round);
      for (let start = 0; start < spans.length; start += 10)
        await postTraces(foghorn.otlpUrl, traceBody(spans.slice(start, start + 10)));
      const scraped = await waitForQueryValue(
        prometheus,
        'sum(foghorn_llm_requests_total)',
        (CALLS / 2) * (round + 1),
        30_000,
      );
      if (!scraped)
        throw new Error(`Prometheus did not scrape the calls of round ${round} within 30 s`);
    }
    const body = await foghorn.getJson(
      `/api/v1/llm/summary?groupBy=model&from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`,
    );
    summary = new Map(body.groups.map((group: any) => [group.key, group]));
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await foghorn?.stop();
  });

  it('request counts match the summary', async () => {
    const counts = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_requests_total)'),
      'model',
    );
    const histogram = valuesByLabel(
      await prometheus.query('sum by (model) (gen_ai_client_operation_duration_seconds_count)'),
      'model',
    );
    expect(counts.size).toBe(4);
    for (const [model, group] of summary) {
      expect(counts.get(model)).toBe(group.requests);
      expect(histogram.get(model)).toBe(group.requests);
    }
  });

  it('errors match the summary', async () => {
    const errors = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_errors_total{error_type="rate_limit"})'),
      'model',
    );
    const totalErrors = [...summary.values()].reduce((sum, group) => sum + group.errors, 0);
    expect(totalErrors).toBeGreaterThan(0);
    for (const [model, group] of summary) expect(errors.get(model) ?? 0).toBe(group.errors);
  });

  it('tokens by type match the summary', async () => {
    const input = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_tokens_total{token_type="input"})'),
      'model',
    );
    const output = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_tokens_total{token_type="output"})'),
      'model',
    );
    for (const [model, group] of summary) {
      expect(input.get(model)).toBe(group.tokens.input);
      expect(output.get(model)).toBe(group.tokens.output);
    }
  });

  it('cost by model matches the summary', async () => {
    const cost = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_cost_usd_total)'),
      'model',
    );
    const unpriced = valuesByLabel(
      await prometheus.query('sum by (model) (foghorn_llm_unpriced_requests_total)'),
      'model',
    );
    for (const [model, group] of summary) {
      expect(cost.get(model) ?? 0).toBeCloseTo(group.costUsd, 9);
      expect(unpriced.get(model) ?? 0).toBe(group.unpricedRequests);
    }
    expect(summary.get('house-model-7b').unpricedRequests).toBe(14);
  });

  it('projects monthly cost per tenant', async () => {
    const projected = valuesByLabel(
      await prometheus.query(
        'sum by (tenant_id) (rate(foghorn_llm_cost_usd_total[1h])) * 3600 * 720',
      ),
      'tenant_id',
    );
    expect([...projected.keys()].sort()).toEqual(TENANTS);
    for (const [tenant, monthlyUsd] of projected) expect(monthlyUsd, tenant).toBeGreaterThan(0);
  });
});
