/** Tables of experiment tracking and the model registry, created when missing. */
export const TRACKING_SCHEMA_STATEMENTS: readonly string[] = [
  'CREATE SEQUENCE IF NOT EXISTS mlflow_experiment_ids START 1',
  `CREATE TABLE IF NOT EXISTS mlflow_experiments (
    experiment_id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, artifact_location VARCHAR NOT NULL,
    lifecycle_stage VARCHAR NOT NULL, creation_time BIGINT, last_update_time BIGINT)`,
  `CREATE TABLE IF NOT EXISTS mlflow_experiment_tags (
    experiment_id BIGINT, key VARCHAR, value VARCHAR, PRIMARY KEY (experiment_id, key))`,
  `CREATE TABLE IF NOT EXISTS mlflow_runs (
    run_id VARCHAR PRIMARY KEY, experiment_id BIGINT NOT NULL, run_name VARCHAR, user_id VARCHAR,
    status VARCHAR NOT NULL, start_time BIGINT, end_time BIGINT, artifact_uri VARCHAR,
    lifecycle_stage VARCHAR NOT NULL, deleted_time BIGINT)`,
  `CREATE TABLE IF NOT EXISTS mlflow_params (
    run_id VARCHAR, key VARCHAR, value VARCHAR, PRIMARY KEY (run_id, key))`,
  `CREATE TABLE IF NOT EXISTS mlflow_tags (
    run_id VARCHAR, key VARCHAR, value VARCHAR, PRIMARY KEY (run_id, key))`,
  `CREATE TABLE IF NOT EXISTS mlflow_metrics (
    run_id VARCHAR, key VARCHAR, value DOUBLE, timestamp BIGINT, step BIGINT,
    dataset_name VARCHAR, dataset_digest VARCHAR, model_id VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS mlflow_latest_metrics (
    run_id VARCHAR, key VARCHAR, value DOUBLE, timestamp BIGINT, step BIGINT,
    dataset_name VARCHAR, dataset_digest VARCHAR, model_id VARCHAR, PRIMARY KEY (run_id, key))`,
  `CREATE TABLE IF NOT EXISTS mlflow_run_dataset_inputs (
    run_id VARCHAR, name VARCHAR, digest VARCHAR, source_type VARCHAR, source VARCHAR,
    schema VARCHAR, profile VARCHAR, tags_json VARCHAR, context VARCHAR,
    PRIMARY KEY (run_id, name, digest))`,
  `CREATE TABLE IF NOT EXISTS mlflow_run_model_io (
    run_id VARCHAR, direction VARCHAR, model_id VARCHAR, step BIGINT,
    PRIMARY KEY (run_id, direction, model_id))`,
  `CREATE TABLE IF NOT EXISTS mlflow_logged_models (
    model_id VARCHAR PRIMARY KEY, experiment_id BIGINT, name VARCHAR, artifact_uri VARCHAR,
    status VARCHAR, status_message VARCHAR, creator_id VARCHAR, model_type VARCHAR,
    source_run_id VARCHAR, lifecycle_stage VARCHAR, creation_timestamp BIGINT,
    last_updated_timestamp BIGINT)`,
  `CREATE TABLE IF NOT EXISTS mlflow_logged_model_tags (
    model_id VARCHAR, key VARCHAR, value VARCHAR, PRIMARY KEY (model_id, key))`,
  `CREATE TABLE IF NOT EXISTS mlflow_logged_model_params (
    model_id VARCHAR, key VARCHAR, value VARCHAR, PRIMARY KEY (model_id, key))`,
  `CREATE TABLE IF NOT EXISTS mlflow_registered_models (
    name VARCHAR, creation_timestamp BIGINT, last_updated_timestamp BIGINT, user_id VARCHAR,
    description VARCHAR)`,
  'CREATE TABLE IF NOT EXISTS mlflow_registered_model_tags (name VARCHAR, key VARCHAR, value VARCHAR)',
  `CREATE TABLE IF NOT EXISTS mlflow_model_versions (
    name VARCHAR, version INTEGER, creation_timestamp BIGINT, last_updated_timestamp BIGINT,
    user_id VARCHAR, current_stage VARCHAR, description VARCHAR, source VARCHAR,
    storage_location VARCHAR, run_id VARCHAR, run_link VARCHAR, model_id VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS mlflow_model_version_tags (
    name VARCHAR, version INTEGER, key VARCHAR, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS mlflow_model_aliases (
    name VARCHAR, alias VARCHAR, version INTEGER)`,
];
