/** MLflow REST shapes the tracking pages read (`/ajax-api/2.0/mlflow`), as Foghorn returns them. */
export interface KeyValueJson {
  key: string;
  value: string;
}

export interface ExperimentJson {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  creation_time?: number;
  last_update_time?: number;
}

export interface RunInfoJson {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  status: string;
  start_time?: number;
  end_time?: number;
  artifact_uri: string;
}

export interface MetricJson {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface RunJson {
  info: RunInfoJson;
  data: { metrics?: MetricJson[]; params?: KeyValueJson[]; tags?: KeyValueJson[] };
}

export interface ArtifactFileJson {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface ModelVersionJson {
  name: string;
  version: string;
  current_stage: string;
  run_id?: string;
  source: string;
  aliases?: string[];
  creation_timestamp?: number;
}

export interface RegisteredModelJson {
  name: string;
  description?: string;
  latest_versions?: ModelVersionJson[];
  aliases?: { alias: string; version: string }[];
}

/** Foghorn's promotion policy (`/api/v1/registry/policies`). */
export interface PromotionPolicyJson {
  modelName: string | null;
  metricKey: string;
  comparator: '>=' | '<=';
  threshold: number;
  autoPromote: boolean;
  archivePrevious: boolean;
  updatedAtMs: number;
}

export interface StageTransitionJson {
  name: string;
  version: number;
  fromStage: string;
  toStage: string;
  actor: string;
  reason: string;
  outcome: 'applied' | 'rejected';
  timestampMs: number;
}

export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
