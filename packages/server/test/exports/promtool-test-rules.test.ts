import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { periodAt, resolvePriceEntry } from '../../src/enrich/pricing.ts';
import { defaultPackRules } from '../../src/exports/latency-buckets.ts';
import { buildPrometheusRules } from '../../src/exports/prometheus-rules.ts';
import {
  buildPromtoolTests,
  type PromtoolIncident,
  type PromtoolIncidentTest,
  type ReplayCall,
} from '../../src/exports/promtool-tests.ts';
import { BASE_RATE_PER_MIN, INCIDENTS, T0_MS, TRAFFIC_END_MS } from '../alerts/helpers/scenario.ts';
import { Random, generateCalls, type SimCall } from '../alerts/helpers/sim-traffic.ts';
import { findPrometheusTool } from './prometheus-process.ts';

const PROMTOOL = findPrometheusTool('promtool');
const PUBLIC_URL = 'https://foghorn.example.com';

if (PROMTOOL === null) console.warn('promtool-test-rules: skipped because promtool is missing');

/** Prices a call with the shipped price table, as ingest does for a call without cache tokens. */
function costUsd(call: SimCall): number | null {
  const entry = resolvePriceEntry(call.model);
  const period = entry === null ? null : periodAt(entry, BigInt(call.startMs) * 1_000_000n);
  if (period === null) return null;
  return (
    (call.inputTokens * period.inputUsdPerMTok + call.outputTokens * period.outputUsdPerMTok) /
    1_000_000
  );
}

/** Builds the simulated incidents of the alarm detection test from the same seeded traffic. */
function simulatedIncidents(): PromtoolIncident[] {
  const calls = generateCalls(
    new Random(20261102),
    T0_MS,
    TRAFFIC_END_MS,
    BASE_RATE_PER_MIN,
    (minuteMs) => {
      const active = INCIDENTS.find((entry) => minuteMs >= entry.startMs && minuteMs < entry.endMs);
      return active?.shape ?? {};
    },
  );
  const replay: ReplayCall[] = calls.map((call) => ({ ...call, costUsd: costUsd(call) }));
  return INCIDENTS.map((incident) => ({
    name: incident.name,
    ruleId: incident.ruleId,
    startMs: incident.startMs,
    endMs: incident.endMs,
    calls: replay.filter(
      (call) =>
        call.startMs >= incident.startMs - 27 * 3_600_000 &&
        call.startMs < incident.endMs + 4 * 3_600_000,
    ),
  }));
}

function promtoolTest(dir: string, fileName: string): { status: number | null; output: string } {
  const result = spawnSync(PROMTOOL!, ['test', 'rules', join(dir, fileName)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(PROMTOOL === null)('promtool test rules from simulated incidents', () => {
  let dir: string;
  let tests: PromtoolIncidentTest[];
  let skipped: { incident: string; reason: string }[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foghorn-promtool-tests-'));
    const rules = defaultPackRules();
    const exported = buildPrometheusRules(rules, PUBLIC_URL);
    ({ tests, skipped } = buildPromtoolTests(rules, exported, simulatedIncidents()));
    for (const test of tests)
      for (const file of [test.rulesFile, test.testFile])
        writeFileSync(join(dir, file.fileName), file.yaml);
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('covers every expressible incident', () => {
    expect(tests.map((test) => test.testFile.fileName)).toEqual([
      'latency-spike-on-gpt-4o.test.yml',
      'rate-limit-storm-at-openai.test.yml',
      'runaway-tenant-globex.test.yml',
      'silent-service-search-api.test.yml',
    ]);
    expect(tests.map((test) => test.rulesFile.fileName)).toEqual([
      'latency-spike-on-gpt-4o.rules.yml',
      'rate-limit-storm-at-openai.rules.yml',
      'runaway-tenant-globex.rules.yml',
      'silent-service-search-api.rules.yml',
    ]);
    expect(skipped).toEqual([
      {
        incident: 'quality drop of claude-sonnet-4',
        reason:
          'quality_score_mean comes from quality scores, which Foghorn does not export as metrics',
      },
    ]);
  });

  it('fires on the incident model', () => {
    const text = tests[0]!.testFile.yaml;
    expect(text).toContain('foghorn_rule: latency-slo-fast-burn');
    expect(text).toContain('model: gpt-4o');
    expect(text).toContain('https://foghorn.example.com/?panel=latency&model=gpt-4o');
  });

  it('rules file holds the alert and its records', () => {
    const file = parse(tests[0]!.rulesFile.yaml) as {
      groups: { name: string; rules: { alert?: string; record?: string }[] }[];
    };
    expect(file.groups.map((group) => group.name)).toEqual([
      'foghorn-slo-ratios',
      'foghorn-latency',
    ]);
    expect(file.groups[0]!.rules.map((rule) => rule.record)).toEqual([
      'model:foghorn_slow_ratio_8000ms_0_99:ratio_rate1h',
      'model:foghorn_slow_ratio_8000ms_0_99:ratio_rate5m',
      'model:foghorn_slow_ratio_8000ms_0_99:ratio_rate6h',
      'model:foghorn_slow_ratio_8000ms_0_99:ratio_rate30m',
    ]);
    expect(file.groups[1]!.rules.map((rule) => rule.alert)).toEqual(['latency-slo-fast-burn']);
  });

  it('input series are the ones the rules read', () => {
    const test = parse(tests[2]!.testFile.yaml) as {
      group_eval_order: string[];
      tests: { interval: string; input_series: { series: string }[] }[];
    };
    const names = new Set(test.tests[0]!.input_series.map((entry) => entry.series.split('{')[0]));
    expect([...names].sort()).toEqual(['foghorn_llm_cost_usd_total', 'foghorn_llm_requests_total']);
    // The shortest range of tenant-cost-runaway is 1h, which 10m scrapes sample six times.
    expect(test.tests[0]!.interval).toBe('10m');
    expect(test.group_eval_order).toEqual(['foghorn-cost-by-tenant']);
  });

  it.each([
    'latency-spike-on-gpt-4o',
    'rate-limit-storm-at-openai',
    'runaway-tenant-globex',
    'silent-service-search-api',
  ])(
    '%s passes promtool',
    (name) => {
      const result = promtoolTest(dir, `${name}.test.yml`);
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    },
    60_000,
  );

  it('wrong expectation fails promtool', () => {
    const original = readFileSync(join(dir, 'runaway-tenant-globex.test.yml'), 'utf8');
    const wrong = original.replace('tenant_id: globex', 'tenant_id: acme');
    expect(wrong).not.toBe(original);
    writeFileSync(join(dir, 'wrong.test.yml'), wrong);
    const result = promtoolTest(dir, 'wrong.test.yml');
    expect(result.status).toBe(1);
    expect(result.output).toContain('FAILED');
  }, 60_000);
});
