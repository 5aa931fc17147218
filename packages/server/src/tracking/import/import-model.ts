import type { KeyValue, LifecycleStage, Metric, ModelStage, RunStatus } from '../entities.ts';

/** One run read from a source, with its artifact files on disk. */
export interface ImportedRun {
  runId: string;
  experimentName: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTimeMs: number | null;
  endTimeMs: number | null;
  lifecycleStage: LifecycleStage;
  params: KeyValue[];
  metrics: Metric[];
  tags: KeyValue[];
  /** Artifact files as (path inside the run's artifacts, absolute file on disk). */
  artifacts: { artifactPath: string; filePath: string }[];
  /** The run's artifact URI in the source, to rewrite model version sources that point into it. */
  sourceArtifactUri: string | null;
}

export interface ImportedExperiment {
  name: string;
  lifecycleStage: LifecycleStage;
  creationTimeMs: number | null;
  tags: KeyValue[];
}

export interface ImportedVersion {
  version: number;
  source: string;
  runId: string | null;
  runLink: string | null;
  description: string | null;
  stage: ModelStage;
  tags: KeyValue[];
}

export interface ImportedModel {
  name: string;
  description: string | null;
  tags: KeyValue[];
  versions: ImportedVersion[];
  aliases: { alias: string; version: number }[];
}

/** An item the reader could not use, with the path and the reason. */
export interface SkippedItem {
  kind: 'experiment' | 'run' | 'model' | 'record';
  id: string;
  reason: string;
}

/** Everything read from one import source. */
export interface ImportSource {
  format: 'mlflow-file-store' | 'json-records';
  experiments: ImportedExperiment[];
  runs: ImportedRun[];
  models: ImportedModel[];
  skipped: SkippedItem[];
}
