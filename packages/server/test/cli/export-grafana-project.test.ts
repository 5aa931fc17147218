import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFoghorn } from '../exports/cli-run.ts';

/** Two latency rules on one panel with the same id, one per project, with different thresholds. */
const RULES_YAML = `rules:
  - id: slow-calls
    panel: latency
    expr: latency_p95_ms by model over 5m
    comparator: ">"
    threshold: 1111
  - id: slow-calls
    project: beta
    panel: latency
    expr: latency_p95_ms by model over 5m
    comparator: ">"
    threshold: 2222
`;

interface Export {
  status: number | null;
  stderr: string;
  dashboard: any;
}

function exportGrafana(dataDir: string, outDir: string, extra: readonly string[]): Export {
  const result = runFoghorn([
    'export',
    'grafana',
    '--data-dir',
    dataDir,
    '--out-dir',
    outDir,
    ...extra,
  ]);
  const path = join(outDir, 'dashboards', 'foghorn-llm.json');
  const dashboard = result.status === 0 ? JSON.parse(readFileSync(path, 'utf8')) : null;
  return { status: result.status, stderr: result.stderr, dashboard };
}

function projectVariable(dashboard: any): any {
  return dashboard.templating.list.find((variable: any) => variable.name === 'project');
}

/** The red threshold values of the latency graph, the first panel. */
function latencyThresholds(dashboard: any): number[] {
  return dashboard.panels[0].fieldConfig.defaults.thresholds.steps
    .filter((step: any) => step.value !== null)
    .map((step: any) => step.value);
}

describe('foghorn export grafana --project', () => {
  let dir: string;
  let beta: Export;
  let all: Export;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foghorn-grafana-project-'));
    const dataDir = join(dir, 'data');
    mkdirSync(join(dataDir, 'alerts'), { recursive: true });
    writeFileSync(join(dataDir, 'alerts', 'rules.yaml'), RULES_YAML);
    beta = exportGrafana(dataDir, join(dir, 'beta'), ['--project', 'beta']);
    all = exportGrafana(dataDir, join(dir, 'all'), []);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 for both exports', () => {
    expect(beta.status, beta.stderr).toBe(0);
    expect(all.status, all.stderr).toBe(0);
  });

  it('starts the project variable at the project', () => {
    expect(projectVariable(beta.dashboard).current).toEqual({ text: 'beta', value: ['beta'] });
    expect(projectVariable(all.dashboard).current).toEqual({ text: 'All', value: '$__all' });
  });

  it('takes thresholds from that project only', () => {
    expect(latencyThresholds(beta.dashboard)).toEqual([2222]);
    expect(latencyThresholds(all.dashboard)).toContain(1111);
  });

  it('lists the option in help', () => {
    const help = runFoghorn(['export', 'grafana', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--project');
  });
});
