/**
 * Indexes of the tracking tables. Metric history reads (`metrics/get-history`,
 * the run comparison charts) look up one run and key among every logged point,
 * and run IDs are random, so zone maps cannot skip row groups for them.
 */
export const TRACKING_INDEX_STATEMENTS: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS mlflow_metrics_run_key ON mlflow_metrics (run_id, key)',
  'CREATE INDEX IF NOT EXISTS mlflow_stage_transitions_name ON mlflow_stage_transitions (name, version)',
];
