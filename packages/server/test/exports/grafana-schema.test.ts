import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPackRules } from '../../src/exports/latency-buckets.ts';
import { buildGrafanaDashboard } from '../../src/exports/grafana-dashboard.ts';
import { NotExpressibleError, buildPromQl } from '../../src/exports/promql-builder.ts';
import { PANELS } from '../../src/panels/panel-definitions.ts';
import { parseSeriesExpression } from '../../src/panels/series-expression.ts';

const require = createRequire(import.meta.url);
const SCHEMA_PACKAGE = dirname(require.resolve('@grafana/schema/package.json'));
const TSC = fileURLToPath(new URL('../../../../node_modules/typescript/bin/tsc', import.meta.url));
const PUBLIC_URL = 'https://foghorn.example.com';

/** Every graph panel, including those inside collapsed rows. */
function graphPanels(dashboard: any): any[] {
  return dashboard.panels.flatMap((panel: any) => (panel.type === 'row' ? panel.panels : [panel]));
}

/** The dashboard as a TypeScript literal; threshold modes become members of the schema's string enum. */
function dashboardLiteral(dashboard: unknown): string {
  return JSON.stringify(dashboard, null, 2).replace(
    /"mode": "absolute"/g,
    '"mode": ThresholdsMode.Absolute',
  );
}

describe('Grafana dashboard against @grafana/schema', () => {
  let dir: string;
  const dashboard: any = buildGrafanaDashboard(defaultPackRules(), PUBLIC_URL).dashboard;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foghorn-grafana-schema-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('typechecks as the Dashboard type', () => {
    // The package ships TypeScript types and no JSON schema, so tsc checks the
    // generated JSON as an object literal: `satisfies` rejects unknown and mistyped fields.
    writeFileSync(
      join(dir, 'dashboard-check.ts'),
      [
        "import { ThresholdsMode, type Dashboard } from '@grafana/schema';",
        `export const dashboard = ${dashboardLiteral(dashboard)} satisfies Dashboard;`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          skipLibCheck: true,
          types: [],
          paths: { '@grafana/schema': [join(SCHEMA_PACKAGE, 'dist/types/index.d.ts')] },
        },
        files: ['dashboard-check.ts'],
      }),
    );
    const result = spawnSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has the fields the schema requires', () => {
    expect(typeof dashboard.schemaVersion).toBe('number');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    for (const panel of dashboard.panels) {
      expect(typeof panel.type, JSON.stringify(panel.title)).toBe('string');
      if (panel.type !== 'row') continue;
      expect(typeof panel.id).toBe('number');
      expect(panel.collapsed).toBe(true);
      expect(Array.isArray(panel.panels)).toBe(true);
    }
    const ids = [
      ...dashboard.panels.map((panel: any) => panel.id),
      ...dashboard.panels.flatMap((panel: any) =>
        (panel.panels ?? []).map((inner: any) => inner.id),
      ),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('big graphs on top, the rest in collapsed rows', () => {
    const top = dashboard.panels.filter((panel: any) => panel.type !== 'row');
    const rows = dashboard.panels.filter((panel: any) => panel.type === 'row');
    expect(top.map((panel: any) => panel.type)).toEqual(['timeseries', 'timeseries', 'timeseries']);
    expect(top.map((panel: any) => panel.gridPos.w)).toEqual([24, 24, 24]);
    expect(rows.length + top.length).toBe(PANELS.length);
    // Quality scores are not exported as metrics, so their row stays empty.
    expect(rows.filter((row: any) => row.panels.length === 0).map((row: any) => row.title)).toEqual(
      ['Quality scores'],
    );
    for (const row of rows.filter((entry: any) => entry.panels.length > 0)) {
      expect(row.panels).toHaveLength(1);
      expect(row.panels[0].type).toBe('timeseries');
      expect(row.panels[0].gridPos.y).toBe(row.gridPos.y + 1);
    }
  });

  it('queries are the generated PromQL', () => {
    const byTitle = new Map(graphPanels(dashboard).map((panel: any) => [panel.title, panel]));
    let checked = 0;
    for (const definition of PANELS) {
      const expected: string[] = [];
      for (const series of definition.series) {
        const expression = parseSeriesExpression(series.expr);
        const filtered = {
          ...expression,
          matchers: {
            ...expression.matchers,
            project: '=~$project',
            model: '=~$model',
            provider: '=~$provider',
          },
        };
        try {
          expected.push(buildPromQl(filtered, expression.windowMs ?? 300_000));
        } catch (error) {
          if (!(error instanceof NotExpressibleError)) throw error;
        }
      }
      if (expected.length === 0) continue;
      const panel: any = byTitle.get(definition.title);
      expect(panel, definition.title).toBeDefined();
      expect(panel.targets.map((target: any) => target.expr)).toEqual(expected);
      for (const target of panel.targets) expect(target.datasource.uid).toBe('${datasource}');
      checked++;
    }
    expect(checked).toBe(graphPanels(dashboard).length);
  });
});
