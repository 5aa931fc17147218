import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { z } from 'zod';
import { RUN_STATUSES, type Metric } from '../entities.ts';
import type { ImportedRun, ImportSource } from './import-model.ts';

const METRIC_POINT_SCHEMA = z.strictObject({
  value: z.number(),
  step: z.number().int().nonnegative().default(0),
  timestamp: z.number().int().nonnegative().optional(),
});

const SCALAR_SCHEMA = z.union([z.string(), z.number(), z.boolean()]);

/**
 * One plain JSON run record. `timestamp` is Unix milliseconds or RFC 3339;
 * a metric is a number (step 0) or a list of points; artifact paths are
 * relative to the record's folder.
 */
const RECORD_SCHEMA = z.strictObject({
  run_id: z.string().regex(/^[0-9a-zA-Z_-]{1,64}$/, 'must be 1 to 64 letters, digits, "_" or "-"'),
  timestamp: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]),
  experiment: z.string().min(1).max(500).optional(),
  run_name: z.string().max(250).optional(),
  status: z.enum(RUN_STATUSES).default('FINISHED'),
  params: z.record(z.string(), SCALAR_SCHEMA).default({}),
  metrics: z.record(z.string(), z.union([z.number(), z.array(METRIC_POINT_SCHEMA)])).default({}),
  tags: z.record(z.string(), z.string()).default({}),
  artifacts: z.array(z.string().min(1)).default([]),
});

type RunRecord = z.infer<typeof RECORD_SCHEMA>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `field "${issue.path.join('.') || '(record)'}": ${issue.message}`)
    .join('; ');
}

function toMetrics(record: RunRecord, timestampMs: number): Metric[] {
  return Object.entries(record.metrics).flatMap(([key, value]) =>
    typeof value === 'number'
      ? [{ key, value, step: 0, timestampMs }]
      : value.map((point) => ({
          key,
          value: point.value,
          step: point.step,
          timestampMs: point.timestamp ?? timestampMs,
        })),
  );
}

async function toArtifacts(
  record: RunRecord,
  recordDir: string,
): Promise<ImportedRun['artifacts']> {
  const artifacts: ImportedRun['artifacts'] = [];
  for (const path of record.artifacts) {
    const artifactPath = posix.normalize(path.split('\\').join('/'));
    if (artifactPath.startsWith('/') || artifactPath.split('/').includes('..'))
      throw new Error(
        `artifact path "${path}" must be relative to the record's folder, without ".."`,
      );
    const filePath = join(recordDir, artifactPath);
    const info = await stat(filePath).catch(() => null);
    if (info === null || !info.isFile())
      throw new Error(`artifact file "${path}" was not found next to the record`);
    artifacts.push({ artifactPath, filePath });
  }
  return artifacts;
}

async function toRun(
  record: RunRecord,
  file: string,
  defaultExperiment: string,
): Promise<ImportedRun> {
  const timestampMs =
    typeof record.timestamp === 'number' ? record.timestamp : Date.parse(record.timestamp);
  return {
    runId: record.run_id,
    experimentName: record.experiment ?? defaultExperiment,
    runName: record.run_name ?? record.run_id,
    userId: '',
    status: record.status,
    startTimeMs: timestampMs,
    endTimeMs: record.status === 'RUNNING' ? null : timestampMs,
    lifecycleStage: 'active',
    params: Object.entries(record.params).map(([key, value]) => ({ key, value: String(value) })),
    metrics: toMetrics(record, timestampMs),
    tags: Object.entries(record.tags).map(([key, value]) => ({ key, value })),
    artifacts: await toArtifacts(record, dirname(file)),
    sourceArtifactUri: null,
  };
}

/**
 * Reads every `*.json` file of a folder (not recursive) as one run record.
 * Records without `experiment` go to `defaultExperiment`; a file that is not
 * valid JSON or breaks the schema is skipped with the reason.
 */
export async function readJsonRecords(
  dir: string,
  defaultExperiment: string,
): Promise<ImportSource> {
  const source: ImportSource = {
    format: 'json-records',
    experiments: [],
    runs: [],
    models: [],
    skipped: [],
  };
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  for (const name of files) {
    try {
      const parsed = RECORD_SCHEMA.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')));
      if (!parsed.success) throw new Error(describeIssues(parsed.error));
      source.runs.push(await toRun(parsed.data, join(dir, name), defaultExperiment));
    } catch (error) {
      source.skipped.push({ kind: 'record', id: name, reason: (error as Error).message });
    }
  }
  const names = new Set(source.runs.map((run) => run.experimentName));
  for (const experiment of names)
    source.experiments.push({
      name: experiment,
      lifecycleStage: 'active',
      creationTimeMs: null,
      tags: [],
    });
  return source;
}
