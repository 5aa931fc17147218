import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CompiledRule } from '../alerts/compiled-rule.ts';
import { formatRuleFileProblem, parseRuleFiles } from '../alerts/rule-file.ts';
import { RULES_DIR_NAME } from '../alerts/rule-registry.ts';
import { ConfigError } from '../errors.ts';
import { buildGrafanaDashboard, DASHBOARD_UID } from './grafana-dashboard.ts';
import { dashboardProvisioning, datasourceProvisioning } from './grafana-provisioning.ts';
import { defaultPackRules } from './latency-buckets.ts';
import { buildPrometheusRules } from './prometheus-rules.ts';

export interface ExportIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Loads the rules of `<dataDir>/alerts/*.yaml`, or the default alarm pack when
 * that folder does not exist; a rule file with problems is a configuration error.
 */
export function loadExportRules(dataDir: string): CompiledRule[] {
  const folder = join(dataDir, RULES_DIR_NAME);
  if (!existsSync(folder)) return defaultPackRules();
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  const { rules, problems } = parseRuleFiles(
    files.map((name) => ({
      path: join(folder, name),
      text: readFileSync(join(folder, name), 'utf8'),
    })),
  );
  if (problems.length > 0)
    throw new ConfigError(
      `the rule files have problems; fix them or check them with "foghorn alerts check":\n${problems.map(formatRuleFileProblem).join('\n')}`,
    );
  return rules;
}

/** Writes the Prometheus rule file to `outFile` or stdout and lists the rules left out on stderr. */
export function runExportPrometheusRules(
  options: { dataDir: string; publicUrl: string; outFile: string | null },
  io: ExportIo,
): number {
  const result = buildPrometheusRules(loadExportRules(options.dataDir), options.publicUrl);
  if (options.outFile === null) io.out(result.yaml);
  else writeFileSync(options.outFile, result.yaml);
  io.err(
    `foghorn export prometheus-rules: ${result.alertCount} alerting and ${result.recordCount} recording rules\n`,
  );
  for (const rule of result.skipped) io.err(`  not exported: ${rule.id}: ${rule.reason}\n`);
  return 0;
}

/**
 * Writes `<outDir>/dashboards/foghorn-llm.json` and Grafana's provisioning files
 * `<outDir>/provisioning/datasources/foghorn.yaml` and `<outDir>/provisioning/dashboards/foghorn.yaml`.
 */
export function runExportGrafana(
  options: {
    dataDir: string;
    publicUrl: string;
    prometheusUrl: string;
    outDir: string;
    dashboardsPath: string | null;
  },
  io: ExportIo,
): number {
  const outDir = resolve(options.outDir);
  const dashboardsDir = join(outDir, 'dashboards');
  const { dashboard, skipped } = buildGrafanaDashboard(
    loadExportRules(options.dataDir),
    options.publicUrl,
  );
  for (const folder of [
    dashboardsDir,
    join(outDir, 'provisioning', 'datasources'),
    join(outDir, 'provisioning', 'dashboards'),
  ])
    mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(dashboardsDir, `${DASHBOARD_UID}.json`),
    `${JSON.stringify(dashboard, null, 2)}\n`,
  );
  writeFileSync(
    join(outDir, 'provisioning', 'datasources', 'foghorn.yaml'),
    datasourceProvisioning(options.prometheusUrl),
  );
  writeFileSync(
    join(outDir, 'provisioning', 'dashboards', 'foghorn.yaml'),
    dashboardProvisioning(options.dashboardsPath ?? dashboardsDir),
  );
  io.err(`foghorn export grafana: wrote the dashboard and provisioning files under ${outDir}\n`);
  for (const line of skipped) io.err(`  not exported: ${line}\n`);
  return 0;
}
