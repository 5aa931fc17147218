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
import { buildPromtoolTests, type PromtoolIncident } from './promtool-tests.ts';
import { z } from 'zod';
import type { OptionSpec } from '../cli/options.ts';
import { EXPORT_RULES_OPTIONS } from '../config/up-options.ts';

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
 * `projectId` preselects that project in the dashboard; absent or null shows every project.
 */
export function runExportGrafana(
  options: {
    dataDir: string;
    publicUrl: string;
    prometheusUrl: string;
    outDir: string;
    dashboardsPath: string | null;
    projectId?: string | null;
  },
  io: ExportIo,
): number {
  const outDir = resolve(options.outDir);
  const dashboardsDir = join(outDir, 'dashboards');
  const { dashboard, skipped } = buildGrafanaDashboard(
    loadExportRules(options.dataDir),
    options.publicUrl,
    options.projectId ?? null,
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

const REPLAY_CALL_SCHEMA = z.object({
  startMs: z.number(),
  durationMs: z.number().nonnegative(),
  service: z.string(),
  provider: z.string(),
  model: z.string(),
  tenant: z.string(),
  feature: z.string(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  errorType: z.string().nullable(),
  ttftMs: z.number().nullable(),
  costUsd: z.number().nullable(),
});

const INCIDENTS_SCHEMA = z.array(
  z.object({
    name: z.string().min(1),
    ruleId: z.string().min(1),
    startMs: z.number(),
    endMs: z.number(),
    calls: z.array(REPLAY_CALL_SCHEMA),
  }),
);

/** Options of `foghorn export prometheus-rule-tests`: `--data-dir` and `--public-url` as for the rules, plus the two below. */
export const EXPORT_RULE_TESTS_OPTIONS: readonly OptionSpec[] = Object.freeze([
  ...EXPORT_RULES_OPTIONS.filter((spec) => spec.name !== 'out'),
  {
    name: 'incidents',
    kind: 'string',
    defaultValue: null,
    description:
      'JSON file with an array of incidents: {name, ruleId, startMs, endMs, calls} (required)',
  },
  {
    name: 'out-dir',
    kind: 'string',
    defaultValue: './prometheus-rule-tests',
    description:
      'Folder to write one <incident>.rules.yml and <incident>.test.yml per incident into',
  },
]);

function readIncidents(incidentsFile: string): PromtoolIncident[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(incidentsFile, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      `--incidents ${incidentsFile} could not be read as JSON: ${(error as Error).message}`,
    );
  }
  const parsed = INCIDENTS_SCHEMA.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(
      `--incidents ${incidentsFile}: invalid value at [${issue.path.join('.')}]: ${issue.message}; expected an array of {name, ruleId, startMs, endMs, calls}`,
    );
  }
  return parsed.data;
}

/**
 * Writes two files per incident of the JSON array in `incidentsFile`, and lists the incidents left out on stderr.
 * `<outDir>/<incident>.rules.yml` has the incident's alert and the recording rules it reads, as
 * `foghorn export prometheus-rules` exports them, and `<outDir>/<incident>.test.yml` is the promtool test.
 */
export function runExportPrometheusRuleTests(
  options: { dataDir: string; publicUrl: string; incidentsFile: string | null; outDir: string },
  io: ExportIo,
): number {
  if (options.incidentsFile === null)
    throw new ConfigError('--incidents is missing; pass the JSON file of simulated incidents');
  const incidents = readIncidents(options.incidentsFile);
  const rules = loadExportRules(options.dataDir);
  const exported = buildPrometheusRules(rules, options.publicUrl);
  const result = buildPromtoolTests(rules, exported, incidents);
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  for (const test of result.tests)
    for (const file of [test.rulesFile, test.testFile])
      writeFileSync(join(outDir, file.fileName), file.yaml);
  io.err(
    `foghorn export prometheus-rule-tests: ${result.tests.length} rule and test file pairs under ${outDir}\n`,
  );
  for (const entry of result.skipped) io.err(`  no test: ${entry.incident}: ${entry.reason}\n`);
  return 0;
}
