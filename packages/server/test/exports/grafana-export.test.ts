import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runFoghorn } from './cli-run.ts';
import { findPrometheusTool, startPrometheus } from './prometheus-process.ts';

const PROMETHEUS = findPrometheusTool('prometheus');

/** Every graph panel, including those inside collapsed rows. */
function graphPanels(dashboard: any): any[] {
  return dashboard.panels.flatMap((panel: any) => (panel.type === 'row' ? panel.panels : [panel]));
}

describe('foghorn export grafana', () => {
  let dir: string;
  let dashboard: any;
  let stderr: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foghorn-grafana-'));
    const result = runFoghorn([
      'export',
      'grafana',
      '--data-dir',
      join(dir, 'none'),
      '--out-dir',
      dir,
      '--public-url',
      'https://foghorn.example.com',
      '--prometheus-url',
      'http://prometheus:9090',
    ]);
    expect(result.status).toBe(0);
    stderr = result.stderr;
    dashboard = JSON.parse(readFileSync(join(dir, 'dashboards', 'foghorn-llm.json'), 'utf8'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the required dashboard fields', () => {
    expect(dashboard.uid).toBe('foghorn-llm');
    expect(dashboard.schemaVersion).toBe(39);
    expect(typeof dashboard.title).toBe('string');
    const all = dashboard.panels.flatMap((panel: any) => [panel, ...(panel.panels ?? [])]);
    const ids = all.map((panel: any) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of all) {
      expect(Object.keys(panel.gridPos).sort(), panel.title).toEqual(['h', 'w', 'x', 'y']);
      expect(typeof panel.type).toBe('string');
    }
  });

  it('shows three big graphs then collapsed rows', () => {
    const [latency, errors, cost, ...rows] = dashboard.panels;
    expect([latency.title, errors.title, cost.title]).toEqual([
      'Latency by model',
      'Error rate by error type',
      'Cost',
    ]);
    for (const panel of [latency, errors, cost]) expect(panel.gridPos.w).toBe(24);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      expect(row.type).toBe('row');
      expect(row.collapsed).toBe(true);
    }
  });

  it('takes thresholds from the rules', () => {
    const latency = dashboard.panels[0];
    expect(latency.fieldConfig.defaults.thresholds.steps).toEqual([
      { color: 'green', value: null },
      { color: 'red', value: 15000 },
    ]);
    expect(latency.fieldConfig.overrides[0].properties[0]).toEqual({
      id: 'unit',
      value: 'percentunit',
    });
  });

  it('links graphs to the trace explorer', () => {
    const link = dashboard.panels[0].fieldConfig.defaults.links[0].url;
    expect(link).toBe(
      'https://foghorn.example.com/?view=traces&from=${__from}&to=${__to}&model=${__field.labels.model:percentencode}',
    );
  });

  it('writes provisioning files', () => {
    const datasources = parse(
      readFileSync(join(dir, 'provisioning', 'datasources', 'foghorn.yaml'), 'utf8'),
    );
    expect(datasources.datasources[0]).toMatchObject({
      uid: 'foghorn-prometheus',
      type: 'prometheus',
      url: 'http://prometheus:9090',
    });
    const providers = parse(
      readFileSync(join(dir, 'provisioning', 'dashboards', 'foghorn.yaml'), 'utf8'),
    );
    expect(providers.providers[0].options.path).toBe(join(dir, 'dashboards'));
    expect(stderr).toContain('not exported: quality: quality_score_mean');
  });

  it.skipIf(PROMETHEUS === null)('queries parse in Prometheus', async () => {
    const prometheus = await startPrometheus(PROMETHEUS!, null);
    try {
      const exprs = graphPanels(dashboard).flatMap((panel) =>
        panel.targets.map((target: any) => target.expr as string),
      );
      expect(exprs.length).toBeGreaterThan(10);
      for (const expr of exprs)
        await prometheus.query(expr.replaceAll('$model', '.*').replaceAll('$provider', '.*'));
    } finally {
      await prometheus.stop();
    }
  });
});
