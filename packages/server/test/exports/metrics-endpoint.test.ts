import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postTraces, traceBody, type TestSpan } from '../pricing/otlp-json.ts';
import { buildCalls, startFoghornWith, type RunningFoghorn } from './foghorn-under-test.ts';
import { findPrometheusTool } from './prometheus-process.ts';

const PROMTOOL = findPrometheusTool('promtool');

/** Sums the samples of `name` whose labels include every pair of `labels`. */
function sumSamples(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

function labelValues(text: string, name: string, label: string): string[] {
  const values = new Set<string>();
  const pattern = new RegExp(`^${name}\\{.*?${label}="([^"]*)"`);
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (match) values.add(match[1]!);
  }
  return [...values].sort();
}

describe('/metrics endpoint', () => {
  let foghorn: RunningFoghorn;
  let text: string;
  let response: Response;
  let sent: TestSpan[];

  beforeAll(async () => {
    foghorn = await startFoghornWith({ metricsMaxLabelValues: 2 });
    // Five tenants with 40, 30, 20, 10 and 5 percent of the calls, in arrival order big, small, ...
    const tenants = [
      'big',
      'big',
      'big',
      'big',
      'big',
      'big',
      'big',
      'big',
      'mid',
      'mid',
      'mid',
      'mid',
      'mid',
      'mid',
      'low',
      'low',
      'low',
      'low',
      'tiny',
      'tiny',
    ];
    sent = buildCalls(200, Date.now(), tenants);
    await postTraces(foghorn.otlpUrl, traceBody(sent.slice(0, 100)));
    await postTraces(foghorn.otlpUrl, traceBody(sent.slice(100)));
    await postTraces(foghorn.otlpUrl, traceBody(sent.slice(0, 50)));
    response = await fetch(`${foghorn.url}/metrics`);
    text = await response.text();
  });

  afterAll(async () => {
    await foghorn?.stop();
  });

  it('uses the exposition content type', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('counts resent spans once', () => {
    expect(sumSamples(text, 'foghorn_llm_requests_total')).toBe(200);
    expect(sumSamples(text, 'gen_ai_client_operation_duration_seconds_count')).toBe(200);
  });

  it('bounds tenant labels to top N plus other', () => {
    expect(labelValues(text, 'foghorn_llm_requests_total', 'tenant_id')).toEqual([
      'big',
      'mid',
      'other',
    ]);
    expect(sumSamples(text, 'foghorn_llm_requests_total', { tenant_id: 'big' })).toBe(80);
    expect(sumSamples(text, 'foghorn_llm_requests_total', { tenant_id: 'other' })).toBe(60);
    expect(labelValues(text, 'foghorn_llm_cost_usd_total', 'tenant_id')).toEqual([
      'big',
      'mid',
      'other',
    ]);
  });

  it('has buckets at every latency threshold', () => {
    const bounds = labelValues(text, 'gen_ai_client_operation_duration_seconds_bucket', 'le');
    expect(bounds).toContain('8');
    expect(bounds).toContain('15');
    expect(bounds).toContain('0.01');
    expect(bounds).toContain('+Inf');
  });

  it('declares types with OTel-translated names', () => {
    expect(text).toContain('# TYPE gen_ai_client_operation_duration_seconds histogram\n');
    expect(text).toContain('# TYPE foghorn_llm_cost_usd_total counter\n');
    expect(text).toContain('# TYPE foghorn_llm_requests_active gauge\n');
  });

  it('counts calls active a minute ago', async () => {
    const nowMs = Date.now();
    const longCall: TestSpan = {
      ...sent[0]!,
      traceId: 'f'.repeat(32),
      spanId: 'f'.repeat(16),
      startUnixMs: nowMs - 120_000,
      durationMs: 100_000,
    };
    await postTraces(foghorn.otlpUrl, traceBody([longCall]));
    const after = await (await fetch(`${foghorn.url}/metrics`)).text();
    expect(sumSamples(after, 'foghorn_llm_requests_active')).toBe(1);
  });

  it.skipIf(PROMTOOL === null)('passes promtool check metrics', () => {
    const result = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
