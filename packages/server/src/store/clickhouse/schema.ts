import { ATTRIBUTE_MAP_COLUMNS } from './attribute-map-migration.ts';
import { localTableName, onCluster, tableName, type ClickHouseLayout } from './layout.ts';
import { ROLLUP_SELECT } from './rollup-sql.ts';
import { createTableSql, type TableSpec } from './table-ddl.ts';

/** Options that change the DDL. */
export interface SchemaOptions {
  /** Rows older than this many days are dropped by ClickHouse TTL merges; null keeps them. */
  ttlDays: number | null;
}

const TEXT = 'String CODEC(ZSTD(3))';
const NULLABLE_DIMENSION = 'LowCardinality(Nullable(String))';

/**
 * `<name>/<version>` of the registered model. Added by schema version 3, which appends it
 * to tables created before it, so new tables have it last as well.
 */
export const REGISTERED_MODEL_COLUMN = `registered_model ${NULLABLE_DIMENSION}`;

const SPANS_COLUMNS = `
  project_id LowCardinality(String),
  trace_id String, span_id String, parent_span_id Nullable(String),
  name String, span_kind LowCardinality(String), service_name LowCardinality(String),
  scope_name LowCardinality(String),
  start_time DateTime64(9, 'UTC'), end_time DateTime64(9, 'UTC'), duration_ms Float64,
  status_code LowCardinality(String), status_message Nullable(String),
  error_type ${NULLABLE_DIMENSION}, dialect LowCardinality(String),
  operation LowCardinality(String), span_type LowCardinality(String), is_llm_call Bool,
  provider ${NULLABLE_DIMENSION}, request_model ${NULLABLE_DIMENSION},
  response_model ${NULLABLE_DIMENSION}, model ${NULLABLE_DIMENSION},
  input_tokens Int64, output_tokens Int64, cached_input_tokens Int64,
  cache_write_tokens Int64, reasoning_tokens Int64,
  cost_usd Nullable(Float64), cost_input_usd Nullable(Float64), cost_output_usd Nullable(Float64),
  cost_cache_read_usd Nullable(Float64), cost_cache_write_usd Nullable(Float64),
  price_model Nullable(String), price_table_version Nullable(String), cost_detail Nullable(String),
  ttft_ms Nullable(Float64),
  tenant ${NULLABLE_DIMENSION}, user_id Nullable(String), session_id Nullable(String),
  feature ${NULLABLE_DIMENSION}, environment ${NULLABLE_DIMENSION},
  attributes ${TEXT}, resource_attributes ${TEXT}, events ${TEXT}, ingest_issues Nullable(String),
  ${REGISTERED_MODEL_COLUMN}, ${ATTRIBUTE_MAP_COLUMNS},
  INDEX trace_id_bloom trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
  INDEX user_id_bloom user_id TYPE bloom_filter(0.01) GRANULARITY 4`;

const LOG_COLUMNS = `
  project_id LowCardinality(String),
  time DateTime64(9, 'UTC'), observed_time DateTime64(9, 'UTC'), severity_number Int32,
  severity_text LowCardinality(String), body ${TEXT}, attributes ${TEXT},
  resource_attributes ${TEXT}, service_name LowCardinality(String),
  scope_name LowCardinality(String), trace_id String, span_id String,
  event_name LowCardinality(String),
  INDEX trace_id_bloom trace_id TYPE bloom_filter(0.001) GRANULARITY 1`;

const METRIC_COLUMNS = `
  project_id LowCardinality(String),
  metric_name LowCardinality(String), unit LowCardinality(String), kind LowCardinality(String),
  temporality LowCardinality(String), is_monotonic Bool, service_name LowCardinality(String),
  scope_name LowCardinality(String), start_time DateTime64(9, 'UTC'), time DateTime64(9, 'UTC'),
  model ${NULLABLE_DIMENSION}, provider ${NULLABLE_DIMENSION}, tenant ${NULLABLE_DIMENSION},
  feature ${NULLABLE_DIMENSION}, token_type ${NULLABLE_DIMENSION}, error_type ${NULLABLE_DIMENSION},
  value Nullable(Float64), delta_value Nullable(Float64), delta_count Nullable(Float64),
  delta_sum Nullable(Float64), min Nullable(Float64), max Nullable(Float64),
  explicit_bounds Nullable(String), delta_bucket_counts Nullable(String),
  exponential Nullable(String), quantiles Nullable(String), reset Bool,
  attributes ${TEXT}, resource_attributes ${TEXT}`;

/** Rollup dimensions, named as in the spans table so filters and group-bys read both. */
export const ROLLUP_DIMENSIONS = [
  'project_id',
  'model',
  'response_model',
  'provider',
  'tenant',
  'feature',
  'service_name',
  'environment',
  'operation',
  'error_type',
  'registered_model',
] as const;

const ROLLUP_COLUMNS = `
  period_start DateTime('UTC'), project_id LowCardinality(String),
  model ${NULLABLE_DIMENSION}, response_model ${NULLABLE_DIMENSION},
  provider ${NULLABLE_DIMENSION}, tenant ${NULLABLE_DIMENSION}, feature ${NULLABLE_DIMENSION},
  service_name LowCardinality(String), environment ${NULLABLE_DIMENSION},
  operation LowCardinality(String), error_type ${NULLABLE_DIMENSION},
  requests SimpleAggregateFunction(sum, UInt64), errors SimpleAggregateFunction(sum, UInt64),
  input_tokens SimpleAggregateFunction(sum, Int64), output_tokens SimpleAggregateFunction(sum, Int64),
  cached_input_tokens SimpleAggregateFunction(sum, Int64),
  cache_write_tokens SimpleAggregateFunction(sum, Int64),
  reasoning_tokens SimpleAggregateFunction(sum, Int64),
  cost_picousd SimpleAggregateFunction(sum, Int128),
  unpriced_requests SimpleAggregateFunction(sum, UInt64),
  latency_histogram AggregateFunction(sumMap, Array(Int16), Array(UInt64)),
  ${REGISTERED_MODEL_COLUMN}`;

function ttl(column: string, options: SchemaOptions): string {
  return options.ttlDays === null
    ? ''
    : `\nTTL toDateTime(${column}) + INTERVAL ${options.ttlDays} DAY DELETE`;
}

function tableSpecs(options: SchemaOptions): TableSpec[] {
  return [
    {
      base: 'spans',
      columns: SPANS_COLUMNS,
      // Replacing: a span stored twice (two nodes accepting the same retry) collapses to one row on merge.
      engine: 'ReplacingMergeTree',
      clauses: `PARTITION BY toYYYYMM(start_time)
ORDER BY (project_id, is_llm_call, service_name, start_time, trace_id, span_id)${ttl('start_time', options)}`,
      shardKey: 'cityHash64(project_id, trace_id)',
    },
    {
      base: 'span_rollup_1m',
      columns: ROLLUP_COLUMNS,
      engine: 'AggregatingMergeTree',
      clauses: `PARTITION BY toYYYYMM(period_start)
ORDER BY (project_id, period_start, ${ROLLUP_DIMENSIONS.slice(1).join(', ')})${ttl('period_start', options)}
SETTINGS allow_nullable_key = 1`,
      shardKey: 'cityHash64(project_id)',
    },
    {
      base: 'log_records',
      columns: LOG_COLUMNS,
      engine: 'MergeTree',
      clauses: `PARTITION BY toYYYYMM(time)
ORDER BY (project_id, time, trace_id)${ttl('time', options)}`,
      shardKey: 'cityHash64(project_id, trace_id)',
    },
    {
      base: 'metric_points',
      columns: METRIC_COLUMNS,
      engine: 'MergeTree',
      clauses: `PARTITION BY toYYYYMM(time)
ORDER BY (project_id, metric_name, time)${ttl('time', options)}`,
      shardKey: 'cityHash64(project_id, metric_name)',
    },
    {
      base: 'metric_series_state',
      columns: `project_id LowCardinality(String), series_key String, state String, version UInt64`,
      engine: 'ReplacingMergeTree',
      engineArgs: 'version',
      clauses: 'ORDER BY (project_id, series_key)',
      shardKey: 'cityHash64(project_id, series_key)',
    },
    {
      base: 'erasure_log',
      columns: `id String, project_id LowCardinality(String), requested_at_ms Int64,
  requested_by String, user_pseudonym String, spans UInt64, log_records UInt64,
  metric_points UInt64, scores UInt64`,
      engine: 'MergeTree',
      clauses: 'ORDER BY (project_id, requested_at_ms, id)',
      shardKey: 'cityHash64(project_id)',
    },
  ];
}

/** Builds the materialized view that fills the per-minute rollup from inserted spans. */
export function rollupViewSql(layout: ClickHouseLayout): string {
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${tableName(layout, 'span_rollup_1m_mv')}${onCluster(layout)}
TO ${localTableName(layout, 'span_rollup_1m')}
AS ${ROLLUP_SELECT} FROM ${localTableName(layout, 'spans')} WHERE is_llm_call GROUP BY ALL`;
}

/** The statements of the first schema version, in order. */
export function initialSchemaSql(layout: ClickHouseLayout, options: SchemaOptions): string[] {
  const database = `CREATE DATABASE IF NOT EXISTS ${layout.database}${onCluster(layout)}`;
  const tables = tableSpecs(options).flatMap((spec) => createTableSql(layout, spec));
  return [database, ...tables, rollupViewSql(layout)];
}
