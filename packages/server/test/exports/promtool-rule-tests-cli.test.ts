import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PromtoolIncident, ReplayCall } from '../../src/exports/promtool-tests.ts';
import { runFoghorn } from './cli-run.ts';
import { findPrometheusTool } from './prometheus-process.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const SILENT_START_MS = Date.UTC(2026, 10, 9, 12);
const SILENT_END_MS = SILENT_START_MS + HOUR_MS;

/** Generates one call every 5 minutes from each service, except search-api while it is silent. */
function steadyCalls(): ReplayCall[] {
  const calls: ReplayCall[] = [];
  for (
    let ms = SILENT_START_MS - 27 * HOUR_MS;
    ms < SILENT_END_MS + 4 * HOUR_MS;
    ms += 5 * MINUTE_MS
  )
    for (const service of ['search-api', 'support-bot']) {
      if (service === 'search-api' && ms >= SILENT_START_MS && ms < SILENT_END_MS) continue;
      calls.push({
        startMs: ms + 1000,
        durationMs: 2000,
        service,
        provider: 'openai',
        model: 'gpt-4o-mini',
        tenant: 'acme',
        feature: 'chat',
        inputTokens: 100,
        outputTokens: 50,
        errorType: null,
        ttftMs: null,
        costUsd: 0.0001,
      });
    }
  return calls;
}

describe('foghorn export prometheus-rule-tests', () => {
  let dir: string;
  let outDir: string;
  let result: ReturnType<typeof runFoghorn>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foghorn-rule-tests-cli-'));
    outDir = join(dir, 'out');
    const calls = steadyCalls();
    const incidents: PromtoolIncident[] = [
      {
        name: 'silent search-api',
        ruleId: 'service-no-data',
        startMs: SILENT_START_MS,
        endMs: SILENT_END_MS,
        calls,
      },
      { name: 'quality drop', ruleId: 'quality-drop', startMs: 0, endMs: 1, calls: [] },
    ];
    writeFileSync(join(dir, 'incidents.json'), JSON.stringify(incidents));
    result = runFoghorn([
      'export',
      'prometheus-rule-tests',
      '--incidents',
      join(dir, 'incidents.json'),
      '--out-dir',
      outDir,
      '--data-dir',
      join(dir, 'data'),
      '--public-url',
      'https://foghorn.example.com',
    ]);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes one rules and one test file', () => {
    expect(result.stderr).toContain('1 rule and test file pairs under');
    expect(result.status).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual([
      'silent-search-api.rules.yml',
      'silent-search-api.test.yml',
    ]);
  });

  it('lists the incident without a test', () => {
    expect(result.stderr).toContain(
      '  no test: quality drop: quality_score_mean comes from quality scores, which Foghorn does not export as metrics',
    );
  });

  it('rules file holds only the alert', () => {
    const file = parse(readFileSync(join(outDir, 'silent-search-api.rules.yml'), 'utf8')) as {
      groups: { name: string; rules: { alert?: string; annotations: Record<string, string> }[] }[];
    };
    expect(file.groups.map((group) => group.name)).toEqual(['foghorn-inflight-ttft']);
    expect(file.groups[0]!.rules.map((rule) => rule.alert)).toEqual(['service-no-data']);
    expect(file.groups[0]!.rules[0]!.annotations.dashboard).toContain(
      'https://foghorn.example.com/?panel=inflight-ttft',
    );
  });

  it('test file expects search-api to page', () => {
    const file = parse(readFileSync(join(outDir, 'silent-search-api.test.yml'), 'utf8')) as {
      rule_files: string[];
      tests: {
        interval: string;
        input_series: { series: string }[];
        alert_rule_test: { exp_alerts: { exp_labels: Record<string, string> }[] }[];
      }[];
    };
    const test = file.tests[0]!;
    expect(file.rule_files).toEqual(['silent-search-api.rules.yml']);
    // The shortest range of service-no-data is 15m, which 3m scrapes sample five times.
    expect(test.interval).toBe('3m');
    expect(
      test.input_series.every((entry) => entry.series.startsWith('foghorn_llm_requests_total{')),
    ).toBe(true);
    expect(test.alert_rule_test.map((check) => check.exp_alerts.length)).toEqual([0, 1, 0]);
    expect(test.alert_rule_test[1]!.exp_alerts[0]!.exp_labels.service).toBe('search-api');
  });

  it('promtool passes the written file', (context) => {
    const promtool = findPrometheusTool('promtool');
    if (promtool === null) context.skip('promtool is missing');
    const run = spawnSync(
      promtool!,
      ['test', 'rules', join(outDir, 'silent-search-api.test.yml')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(`${run.stdout}${run.stderr}`).toContain('SUCCESS');
    expect(run.status).toBe(0);
  }, 60_000);

  it('rejects a missing incidents file option', () => {
    const missing = runFoghorn(['export', 'prometheus-rule-tests', '--out-dir', outDir]);
    expect(missing.stderr).toContain(
      '--incidents is missing; pass the JSON file of simulated incidents',
    );
    expect(missing.status).toBe(2);
  });
});
