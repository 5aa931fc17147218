import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runFoghorn } from './cli-run.ts';
import { findPrometheusTool } from './prometheus-process.ts';

const PROMTOOL = findPrometheusTool('promtool');
const LABELS = 'project="default",service="svc",provider="openai",model="m"';

function unitTestFile(errorsPerMinute: number, expectedAlerts: object[]): string {
  return `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'foghorn_llm_requests_total{${LABELS},tenant_id="acme",feature="chat"}'
        values: '0+10x40'
      - series: 'foghorn_llm_errors_total{${LABELS},error_type="rate_limit"}'
        values: '0+${errorsPerMinute}x40'
    alert_rule_test:
      - eval_time: 30m
        alertname: rate-limit-ratio-high
        exp_alerts: ${JSON.stringify(expectedAlerts)}
`;
}

if (PROMTOOL === null)
  console.warn(
    'prometheus-rules: promtool checks skipped because promtool is missing and scripts/install-test-deps.sh could not install it',
  );

describe('foghorn export prometheus-rules', () => {
  let dir: string;
  let output: ReturnType<typeof runFoghorn>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foghorn-rules-'));
    output = runFoghorn([
      'export',
      'prometheus-rules',
      '--data-dir',
      join(dir, 'no-data-dir'),
      '--public-url',
      'https://foghorn.example.com',
    ]);
    writeFileSync(join(dir, 'rules.yml'), output.stdout);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists rules it cannot express', () => {
    expect(output.status).toBe(0);
    expect(output.stderr).toContain('14 alerting and 11 recording rules');
    expect(output.stderr).toContain(
      'not exported: tenant-budget-projection: tenant budgets are stored in Foghorn',
    );
    expect(output.stderr).toContain(
      'not exported: quality-drop: quality_score_mean comes from quality scores',
    );
    expect(output.stdout).toContain('#   quality-verdict-drift: ');
  });

  it('translates thresholds into PromQL', () => {
    const groups = parse(output.stdout).groups as { name: string; rules: any[] }[];
    const alerts = new Map(
      groups
        .flatMap((group) => group.rules)
        .filter((rule) => rule.alert)
        .map((rule) => [rule.alert, rule]),
    );
    expect(alerts.get('latency-p95-high').expr).toContain(
      'histogram_quantile(0.95, sum by (model, le) (rate(gen_ai_client_operation_duration_seconds_bucket{project="default"}[10m]))) * 1000 > 15000',
    );
    expect(alerts.get('latency-p95-high').for).toBe('5m');
    expect(alerts.get('errors-slo-fast-burn').expr).toContain(
      'provider:foghorn_error_ratio_0_995:ratio_rate1h / 0.005 > 14.4',
    );
    expect(alerts.get('errors-slo-fast-burn').keep_firing_for).toBe('5m');
    expect(alerts.get('tenant-cost-runaway').annotations.summary).toContain(
      '{{ $labels.tenant_id }}',
    );
    expect(alerts.get('tenant-cost-runaway').annotations.dashboard).toBe(
      'https://foghorn.example.com/?panel=cost-by-tenant&tenant={{ $labels.tenant_id | urlquery }}',
    );
    expect(alerts.get('service-no-data').expr).toContain('unless on (service)');
  });

  it.skipIf(PROMTOOL === null)('passes promtool check rules', () => {
    const result = spawnSync(PROMTOOL!, ['check', 'rules', join(dir, 'rules.yml')], {
      encoding: 'utf8',
    });
    expect(result.stdout).toContain('SUCCESS: 25 rules found');
    expect(result.status).toBe(0);
  });

  it.skipIf(PROMTOOL === null)('fires on rate limits in promtool', () => {
    const firing = [
      {
        exp_labels: { severity: 'ticket', foghorn_rule: 'rate-limit-ratio-high', panel: 'errors' },
        exp_annotations: {
          summary: '30% of calls hit provider rate limits over 10 min (threshold 10%)',
          dashboard: 'https://foghorn.example.com/?panel=errors',
        },
      },
    ];
    writeFileSync(join(dir, 'firing.test.yml'), unitTestFile(3, firing));
    writeFileSync(join(dir, 'quiet.test.yml'), unitTestFile(0, []));
    for (const file of ['firing.test.yml', 'quiet.test.yml']) {
      const result = spawnSync(PROMTOOL!, ['test', 'rules', join(dir, file)], { encoding: 'utf8' });
      expect(result.stdout + result.stderr, file).toContain('SUCCESS');
      expect(result.status, file).toBe(0);
    }
  });
});
