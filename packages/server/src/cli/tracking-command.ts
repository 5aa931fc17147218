import { basename, resolve } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { encryptionFromOptions, ENCRYPTION_OPTIONS } from '../crypto/encryption-options.ts';
import type { DuckDbEncryption } from '../crypto/duckdb-encryption.ts';
import { ConfigError } from '../errors.ts';
import { duckDbInstanceOf, openDuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { openDuckDbAuthStore } from '../store/duckdb/auth/duckdb-auth-store.ts';
import { openDuckDbTrackingStore } from '../store/duckdb/tracking/duckdb-tracking-store.ts';
import { ArtifactStore } from '../tracking/artifact-store.ts';
import { artifactDirOf } from '../tracking/routes.ts';
import { importIntoStore, type ImportReport } from '../tracking/import/importer.ts';
import type { ImportSource } from '../tracking/import/import-model.ts';
import { readJsonRecords } from '../tracking/import/json-records.ts';
import { isMlflowFileStore, readMlflowFileStore } from '../tracking/import/mlflow-file-store.ts';
import { isDirectory } from '../tracking/import/file-tree.ts';
import { createImportProgress, type ProgressOutput } from './import-progress.ts';
import { formatHelp, parseOptions, type OptionSpec } from './options.ts';

export const TRACKING_USAGE = `Usage: foghorn tracking import PATH [--data-dir DIR] [--project ID] [--experiment NAME]

Imports into the Foghorn data directory (the server must be stopped):
  - an MLflow file store (an mlruns/ folder): experiments, runs with params,
    metric histories, tags and artifacts, and the model registry in models/;
  - a folder of JSON run records, one *.json file per run:
    {"run_id", "timestamp", "params", "metrics", "artifacts", "experiment"?}.
Items already present (same run ID or model name) are skipped, so running it
twice imports nothing new. Everything lands in one project (--project, default
"default"), which must exist; only that project's tokens and users see it.

`;

export interface TrackingCommandIo {
  out: (text: string) => void;
  warn: (message: string) => void;
  progress: ProgressOutput;
}

/** Options of `foghorn tracking import`. */
const IMPORT_OPTIONS: readonly OptionSpec[] = Object.freeze([
  {
    name: 'data-dir',
    env: 'FOGHORN_DATA_DIR',
    kind: 'string',
    defaultValue: './foghorn-data',
    description: 'Folder of the DuckDB file and the artifacts to import into',
  },
  {
    name: 'project',
    kind: 'string',
    defaultValue: DEFAULT_PROJECT_ID,
    description: 'Project to import into; create it first in the UI or the auth API',
  },
  {
    name: 'experiment',
    kind: 'string',
    defaultValue: null,
    description: 'Experiment for JSON records without "experiment" (default: the folder name)',
  },
  ...ENCRYPTION_OPTIONS,
]);

interface ImportArgs {
  path: string;
  dataDir: string;
  projectId: string;
  experiment: string | null;
  encryption: DuckDbEncryption | null;
}

function parseImportArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): ImportArgs {
  const pathIndex = argv.findIndex(
    (arg, index) => !arg.startsWith('--') && (index === 0 || !isValueOf(argv[index - 1]!)),
  );
  if (pathIndex < 0)
    throw new ConfigError(
      'PATH is missing: pass an mlruns/ folder or a folder of JSON run records',
    );
  const options = parseOptions(IMPORT_OPTIONS, argv.toSpliced(pathIndex, 1), env, warn);
  return {
    path: resolve(argv[pathIndex]!),
    dataDir: resolve(String(options['data-dir'])),
    projectId: String(options.project),
    experiment: options.experiment === null ? null : String(options.experiment),
    encryption: encryptionFromOptions(options, env),
  };
}

/** True for an option that takes the next argument as its value. */
function isValueOf(arg: string): boolean {
  const spec = IMPORT_OPTIONS.find((candidate) => `--${candidate.name}` === arg);
  return spec !== undefined && spec.kind !== 'boolean';
}

async function readSource(args: ImportArgs): Promise<ImportSource> {
  if (!(await isDirectory(args.path)))
    throw new ConfigError(
      `PATH ${args.path} is not a folder; pass an mlruns/ folder or a folder of JSON run records`,
    );
  if (await isMlflowFileStore(args.path)) return readMlflowFileStore(args.path);
  return readJsonRecords(args.path, args.experiment ?? basename(args.path));
}

/** Formats the report: what was imported, then each skipped item with its reason. */
export function formatImportReport(report: ImportReport): string {
  const counts = report.imported;
  const lines = [
    `Imported from ${report.format === 'mlflow-file-store' ? 'an MLflow file store' : 'JSON run records'}: ` +
      `${counts.experiments} experiments, ${counts.runs} runs, ${counts.metrics} metric points, ` +
      `${counts.artifacts} artifact files, ${counts.models} registered models, ${counts.versions} model versions.`,
    `Skipped: ${report.skipped.length}.`,
    ...report.skipped.map((item) => `  ${item.kind} ${item.id}: ${item.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Rejects a project ID that the auth tables do not contain, listing how to create it. */
async function requireProject(instance: DuckDBInstance, projectId: string): Promise<void> {
  const auth = await openDuckDbAuthStore(instance);
  try {
    if (projectId === DEFAULT_PROJECT_ID || (await auth.getProject(projectId)) !== null) return;
  } finally {
    await auth.close();
  }
  throw new ConfigError(
    `--project ${projectId} does not exist in this data directory; create it (POST /api/v1/auth/projects or the UI) and run the import again`,
  );
}

async function runImport(args: ImportArgs, io: TrackingCommandIo): Promise<number> {
  const source = await readSource(args);
  let store;
  try {
    store = await openDuckDbStore(args.dataDir, { encryption: args.encryption });
  } catch (error) {
    throw new ConfigError(
      `could not open the store in ${args.dataDir} (${(error as Error).message}); stop the Foghorn server that uses it and run the import again`,
    );
  }
  let tracking;
  try {
    await requireProject(duckDbInstanceOf(store)!, args.projectId);
    tracking = await openDuckDbTrackingStore(duckDbInstanceOf(store)!, Date.now());
  } catch (error) {
    await store.close();
    throw error;
  }
  const progress = createImportProgress(io.progress);
  try {
    const report = await importIntoStore(source, {
      store: tracking.forProject(args.projectId),
      artifacts: new ArtifactStore(
        artifactDirOf(args.dataDir),
        args.encryption?.key.derive('artifacts') ?? null,
      ),
      nowMs: Date.now(),
      onProgress: progress.onProgress,
    });
    progress.finish();
    io.out(formatImportReport(report));
    return 0;
  } finally {
    await tracking.close();
    await store.close();
  }
}

/** Runs `foghorn tracking <subcommand>` and returns the exit code. */
export async function runTrackingCommand(
  argv: readonly string[],
  io: TrackingCommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === undefined || subcommand === '--help' || rest.includes('--help')) {
    io.out(`${formatHelp(TRACKING_USAGE, IMPORT_OPTIONS)}\n`);
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand !== 'import')
    throw new ConfigError(`unknown subcommand "${subcommand}"; use "foghorn tracking import PATH"`);
  return runImport(parseImportArgs(rest, env, io.warn), io);
}
