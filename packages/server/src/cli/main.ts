import { limitHeapGrowth } from './heap-growth.ts';
import { resolve } from 'node:path';
import { parseMemoryLimit } from '../config/memory-limit.ts';
import { ConfigError } from '../errors.ts';
import {
  DEMO_OPTIONS,
  EXPORT_GRAFANA_OPTIONS,
  EXPORT_RULES_OPTIONS,
  REPRICE_OPTIONS,
  UP_OPTIONS,
  COMPACT_OPTIONS,
  ERASE_USER_OPTIONS,
  RETENTION_OPTIONS,
} from '../config/up-options.ts';
import { runEraseUserCommand } from '../erasure/erase-user-command.ts';
import { compactDataDir, formatCompaction } from '../retention/compact-command.ts';
import { retentionOverridesFrom } from '../retention/retention-options.ts';
import {
  EXPORT_RULE_TESTS_OPTIONS,
  runExportGrafana,
  runExportPrometheusRules,
  runExportPrometheusRuleTests,
} from '../exports/export-command.ts';
import { runRepriceCommand } from '../pricing/reprice-command.ts';
import { startFoghorn } from '../foghorn.ts';
import { runAlertsCommand } from '../alerts/cli/alerts-command.ts';
import {
  ENCRYPTION_OPTIONS,
  ENCRYPT_COMMAND_OPTIONS,
  encryptionFromOptions,
} from '../crypto/encryption-options.ts';
import { encryptDuckDbFile, formatEncryptResult } from '../crypto/encrypt-command.ts';
import {
  DUCKDB_FILE_NAME,
  encryptSetAside,
  loadPendingIngestLog,
} from '../store/duckdb/duckdb-store.ts';
import { FORWARD_OPTIONS, forwardingFromOptions } from '../forward/forward-options.ts';
import { AUTH_OPTIONS, authFromOptions } from '../auth/auth-options.ts';
import { AUTH_COMMANDS, AUTH_USAGE, runAuthCommand } from '../auth/auth-command.ts';
import { MIGRATE_OPTIONS, runMigrateCommand } from '../store/clickhouse/migrate-command.ts';
import { createLogger } from './logger.ts';
import { runTrackingCommand } from './tracking-command.ts';
import { formatHelp, parseOptions, type OptionSpec, type ParsedOptions } from './options.ts';

const USAGE = `Usage: foghorn <command> [options]

Commands:
  up      Start Foghorn: OTLP receivers, storage, query API and dashboard
  demo    Send realistic LLM traffic from a demo application to a Foghorn server
  alerts check [FILES]
          Check alert rule files and print file:line:column for each problem
  alerts test RULE --url URL
          Send a test notification for an alert rule through a running server
  prices reprice
          Recompute the cost of stored LLM calls after a price change and report what changed
  export prometheus-rules
          Print Prometheus recording and alerting rules equivalent to the alarm rules
  export prometheus-rule-tests --incidents FILE --out-dir DIR
          Write promtool test files that replay simulated incidents against the exported rules
  export grafana [--project ID]
          Write a Grafana dashboard and provisioning files for the /metrics series
  migrate --store URL [--cluster NAME] [--print-ddl]
          Create or upgrade the ClickHouse schema and print what was applied
  compact --data-dir DIR
          Copy the live data of a stopped server's DuckDB file into a new file, so it shrinks
  encrypt --data-dir DIR
          Encrypt a stopped server's plain DuckDB file and set-aside ingest batches with FOGHORN_ENCRYPTION_KEY
  erase-user --user ID --url URL
          Delete one user's spans, logs, metric points and scores through a running server
  tracking import PATH --data-dir DIR
          Import an MLflow file store (mlruns/) or a folder of JSON run records into a stopped server's data
${AUTH_USAGE}

Run "foghorn <command> --help" for the options of a command.`;

/** Runs the CLI and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === 'up') return await runUp(rest);
    if (command === 'demo') return await runDemo(rest);
    if (command === 'alerts')
      return await runAlertsCommand(
        rest,
        { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
        process.env,
      );
    if (command === 'prices') return await runPrices(rest);
    if (command === 'export') return runExport(rest);
    if (command === 'compact') return await runCompact(rest);
    if (command === 'migrate') return await runMigrate(rest);
    if (command === 'erase-user') return await runEraseUser(rest);
    if (command === 'tracking')
      return await runTrackingCommand(
        rest,
        {
          out: (text) => process.stdout.write(text),
          warn: (message) => process.stderr.write(`foghorn: ${message}\n`),
          progress: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY },
        },
        process.env,
      );
    if (command === 'encrypt') return await runEncrypt(rest);
    if (AUTH_COMMANDS.includes(command))
      return await runAuthCommand(command, rest, (text) => process.stdout.write(text), process);
    process.stderr.write(`foghorn: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`foghorn ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function parse(
  specs: typeof UP_OPTIONS,
  argv: readonly string[],
  usage: string,
): ParsedOptions | null {
  if (argv.includes('--help')) {
    process.stdout.write(`${formatHelp(usage, specs)}\n`);
    return null;
  }
  return parseOptions(specs, argv, process.env, (message) =>
    process.stderr.write(`foghorn: ${message}\n`),
  );
}

function waitForSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal('SIGINT'));
    process.once('SIGTERM', () => resolveSignal('SIGTERM'));
  });
}

async function runUp(argv: readonly string[]): Promise<number> {
  const options = parse(
    [
      ...UP_OPTIONS,
      ...RETENTION_OPTIONS,
      ...ENCRYPTION_OPTIONS,
      ...FORWARD_OPTIONS,
      ...AUTH_OPTIONS,
    ],
    argv,
    'Usage: foghorn up [options]',
  );
  if (options === null) return 0;
  const logger = createLogger(String(options['log-level']));
  const dataDir = resolve(String(options['data-dir']));
  limitHeapGrowth();
  const foghorn = await startFoghorn({
    host: String(options.host),
    port: Number(options.port),
    otlpPort: Number(options['otlp-port']),
    grpcPort: Number(options['grpc-port']),
    maxQueuedSpans: Number(options['max-queued-spans']),
    memoryLimitBytes:
      options['memory-limit'] === null
        ? null
        : parseMemoryLimit(String(options['memory-limit']), '--memory-limit'),
    dataDir,
    maxBodyBytes: Number(options['max-body-bytes']),
    logger,
    publicUrl: options['public-url'] === null ? undefined : String(options['public-url']),
    alertIntervalMs: Number(options['alert-interval-ms']),
    metricsMaxLabelValues: Number(options['metrics-max-label-values']),
    retention: retentionOverridesFrom(options),
    compactOnStart: options['compact-on-start'] === true,
    store: options.store === null ? null : String(options.store),
    encryption: encryptionFromOptions(options, process.env),
    ...forwardingFromOptions(options),
    auth: authFromOptions(options, process.env),
  });
  logger.info(
    { url: foghorn.url, otlpHttp: foghorn.otlpUrl, otlpGrpc: foghorn.grpcAddress, dataDir },
    `Foghorn is up: dashboard ${foghorn.url}, OTLP/HTTP ${foghorn.otlpUrl}, OTLP/gRPC ${foghorn.grpcAddress}`,
  );
  // The log is JSON for machines; people starting Foghorn by hand read this.
  process.stdout.write(
    `\nFoghorn is up.\n  Dashboard:  ${foghorn.url}\n  OTLP/HTTP:  ${foghorn.otlpUrl}/v1/traces\n  OTLP/gRPC:  ${foghorn.grpcAddress}\n  Data:       ${dataDir}\n\n`,
  );

  let demo: { stop(): Promise<void> } | null = null;
  if (options.demo === true) {
    const { startDemo } = await import('@foghorn/demo');
    demo = await startDemo({
      otlpEndpoint: foghorn.otlpUrl,
      durationMs: null,
      requestsPerSecond: 4,
      backfillHours: 3,
      seed: 1,
      incident: null,
      log: (line) => logger.info({ component: 'demo' }, line),
    });
  }

  const signal = await waitForSignal();
  logger.info(`received ${signal}, shutting down`);
  await demo?.stop();
  await foghorn.close();
  logger.info('Foghorn stopped');
  return 0;
}

async function runPrices(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand !== 'reprice') {
    process.stderr.write(
      `foghorn prices: unknown subcommand "${subcommand ?? ''}"; use "foghorn prices reprice"\n`,
    );
    return 2;
  }
  const options = parse(REPRICE_OPTIONS, rest, 'Usage: foghorn prices reprice [options]');
  if (options === null) return 0;
  const text = (name: string): string | null =>
    options[name] === null ? null : String(options[name]);
  await runRepriceCommand(
    {
      from: text('from'),
      to: text('to'),
      dataDir: String(options['data-dir']),
      url: text('url'),
      json: options.json === true,
    },
    (output) => process.stdout.write(output),
  );
  return 0;
}

/** Options of `foghorn export grafana`, with the project the dashboard is made for. */
const EXPORT_GRAFANA_COMMAND_OPTIONS: readonly OptionSpec[] = Object.freeze([
  ...EXPORT_GRAFANA_OPTIONS,
  {
    name: 'project',
    kind: 'string',
    defaultValue: null,
    description:
      "Project id that the dashboard's project variable starts at; only that project's rules give thresholds. Default: all projects",
  },
]);

function runExport(argv: readonly string[]): number {
  const [target, ...rest] = argv;
  const io = {
    out: (text: string) => process.stdout.write(text),
    err: (text: string) => process.stderr.write(text),
  };
  const text = (options: ParsedOptions, name: string): string | null =>
    options[name] === null ? null : String(options[name]);
  if (target === 'prometheus-rules') {
    const options = parse(
      EXPORT_RULES_OPTIONS,
      rest,
      'Usage: foghorn export prometheus-rules [options]',
    );
    if (options === null) return 0;
    return runExportPrometheusRules(
      {
        dataDir: String(options['data-dir']),
        publicUrl: String(options['public-url']),
        outFile: text(options, 'out'),
      },
      io,
    );
  }
  if (target === 'grafana') {
    const options = parse(
      EXPORT_GRAFANA_COMMAND_OPTIONS,
      rest,
      'Usage: foghorn export grafana [options]',
    );
    if (options === null) return 0;
    return runExportGrafana(
      {
        dataDir: String(options['data-dir']),
        publicUrl: String(options['public-url']),
        prometheusUrl: String(options['prometheus-url']),
        outDir: String(options['out-dir']),
        dashboardsPath: text(options, 'dashboards-path'),
        projectId: text(options, 'project'),
      },
      io,
    );
  }
  if (target === 'prometheus-rule-tests') {
    const options = parse(
      EXPORT_RULE_TESTS_OPTIONS,
      rest,
      'Usage: foghorn export prometheus-rule-tests --incidents FILE [options]',
    );
    if (options === null) return 0;
    return runExportPrometheusRuleTests(
      {
        dataDir: String(options['data-dir']),
        publicUrl: String(options['public-url']),
        incidentsFile: text(options, 'incidents'),
        outDir: String(options['out-dir']),
      },
      io,
    );
  }
  process.stderr.write(
    `foghorn export: unknown target "${target ?? ''}"; use "foghorn export prometheus-rules", "foghorn export prometheus-rule-tests" or "foghorn export grafana"\n`,
  );
  return 2;
}

async function runDemo(argv: readonly string[]): Promise<number> {
  const options = parse(DEMO_OPTIONS, argv, 'Usage: foghorn demo [options]');
  if (options === null) return 0;
  const { startDemo } = await import('@foghorn/demo');
  const durationMs = Number(options['duration-ms']);
  const demo = await startDemo({
    otlpEndpoint: String(options['otlp-endpoint']),
    durationMs: durationMs === 0 ? null : durationMs,
    requestsPerSecond: Number(options['requests-per-second']),
    backfillHours: Number(options['backfill-hours']),
    seed: Number(options.seed),
    incident: options.incident === null ? null : String(options.incident),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (durationMs === 0) {
    await Promise.race([waitForSignal(), demo.finished]);
  } else {
    await demo.finished;
  }
  await demo.stop();
  return 0;
}

async function runMigrate(argv: readonly string[]): Promise<number> {
  const options = parse(MIGRATE_OPTIONS, argv, 'Usage: foghorn migrate --store URL [options]');
  if (options === null) return 0;
  return runMigrateCommand(options, (text) => process.stdout.write(text));
}

async function runCompact(argv: readonly string[]): Promise<number> {
  const options = parse(
    [...COMPACT_OPTIONS, ...ENCRYPTION_OPTIONS],
    argv,
    'Usage: foghorn compact [options]',
  );
  if (options === null) return 0;
  const result = await compactDataDir(
    resolve(String(options['data-dir'])),
    encryptionFromOptions(options, process.env),
  );
  process.stdout.write(formatCompaction(result));
  return 0;
}

async function runEraseUser(argv: readonly string[]): Promise<number> {
  const options = parse(ERASE_USER_OPTIONS, argv, 'Usage: foghorn erase-user --user ID [options]');
  if (options === null) return 0;
  return runEraseUserCommand(options, (text) => process.stdout.write(text));
}

async function runEncrypt(argv: readonly string[]): Promise<number> {
  const options = parse(ENCRYPT_COMMAND_OPTIONS, argv, 'Usage: foghorn encrypt [options]');
  if (options === null) return 0;
  const encryption = encryptionFromOptions(options, process.env);
  if (encryption === null) {
    process.stderr.write(
      'foghorn encrypt: no encryption key; set FOGHORN_ENCRYPTION_KEY or --encryption-key-file\n',
    );
    return 2;
  }
  const dataDir = resolve(String(options['data-dir']));
  await loadPendingIngestLog(dataDir);
  const result = await encryptDuckDbFile(dataDir, DUCKDB_FILE_NAME, encryption);
  process.stdout.write(formatEncryptResult(result));
  const setAside = await encryptSetAside(dataDir, encryption);
  if (setAside.sealedBatches > 0)
    process.stdout.write(
      `sealed ${setAside.sealedBatches} set-aside ingest batches with the key\n`,
    );
  for (const path of setAside.deletedCopies) {
    process.stdout.write(
      `deleted ${path}: a copy of a damaged ingest log segment, whose plain records cannot be loaded\n`,
    );
  }
  return 0;
}
