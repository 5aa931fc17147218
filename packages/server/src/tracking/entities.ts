/** Domain types of experiment tracking and the model registry, in MLflow's terms. */

export interface KeyValue {
  key: string;
  value: string;
}

export type LifecycleStage = 'active' | 'deleted';

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTimeMs: number;
  lastUpdateTimeMs: number;
  tags: KeyValue[];
}

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTimeMs: number | null;
  endTimeMs: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Metric {
  key: string;
  value: number;
  timestampMs: number;
  step: number;
  datasetName?: string;
  datasetDigest?: string;
  modelId?: string;
  runId?: string;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags: KeyValue[];
  dataset: Dataset;
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] };
  inputs: { datasetInputs: DatasetInput[]; modelInputs: { modelId: string }[] };
  outputs: { modelOutputs: { modelId: string; step: number }[] };
}

export const LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

export interface LoggedModel {
  modelId: string;
  experimentId: string;
  name: string;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  artifactUri: string;
  status: LoggedModelStatus;
  statusMessage: string | null;
  creatorId: string | null;
  modelType: string | null;
  sourceRunId: string | null;
  lifecycleStage: LifecycleStage;
  tags: KeyValue[];
  params: KeyValue[];
  metrics: Metric[];
}

export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

export interface ModelVersion {
  name: string;
  version: number;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  userId: string | null;
  currentStage: ModelStage;
  description: string | null;
  source: string;
  runId: string | null;
  runLink: string | null;
  modelId: string | null;
  /** Where the files are: the source, or the logged model's artifact URI for `models:/<id>` sources. */
  storageLocation: string;
  tags: KeyValue[];
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  userId: string | null;
  description: string | null;
  /** The newest version in each stage. */
  latestVersions: ModelVersion[];
  tags: KeyValue[];
  aliases: { alias: string; version: number }[];
}

export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];
