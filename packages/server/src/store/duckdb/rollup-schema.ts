/**
 * The tables of one rollup grain, one minute or one hour. Each row of the sums table adds
 * up the calls of one period and one combination of the group-by and filter dimensions.
 * The latency table counts the same calls per logarithmic latency bucket, so percentiles
 * over many rows are approximations (see LATENCY_BUCKET_GROWTH). Hour rows are sums of
 * minute rows. All columns are scalars, which DuckDB scans faster than nested lists.
 */
export interface RollupGrain {
  sumsTable: string;
  latencyTable: string;
  periodNs: bigint;
}

export const MINUTE_NS = 60_000_000_000n;
export const HOUR_NS = 60n * MINUTE_NS;

export const MINUTE_GRAIN: RollupGrain = {
  sumsTable: 'span_rollup_1m',
  latencyTable: 'span_latency_1m',
  periodNs: MINUTE_NS,
};

export const HOUR_GRAIN: RollupGrain = {
  sumsTable: 'span_rollup_1h',
  latencyTable: 'span_latency_1h',
  periodNs: HOUR_NS,
};

/**
 * Dimension columns, named as in the spans table so filters and group-bys read both. Every
 * row belongs to one project, so queries read only their project's rows.
 */
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

/** Summed measures, in the order both grains store them. */
export const ROLLUP_MEASURES = [
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'unpriced_requests',
] as const;

/**
 * Ratio between the upper bounds of neighbouring latency buckets. A bucket's
 * representative value, 2·g^b / (1 + g), is within (g − 1)/(g + 1) ≈ 0.99 % of every
 * duration in it.
 */
export const LATENCY_BUCKET_GROWTH = 1.02;

/** Durations below this share the lowest bucket. */
const MIN_BUCKETED_DURATION_MS = 0.001;

/** SQL: the latency bucket of `duration_ms`. */
export const LATENCY_BUCKET_SQL = `CAST(ceil(ln(greatest(duration_ms, ${MIN_BUCKETED_DURATION_MS})) / ln(${LATENCY_BUCKET_GROWTH})) AS SMALLINT)`;

/** Returns the representative duration in ms of latency bucket `b`. */
export function bucketValueMs(b: number): number {
  return (2 * LATENCY_BUCKET_GROWTH ** b) / (1 + LATENCY_BUCKET_GROWTH);
}

/** Exact decimal costs, so that sums in any grouping match the raw sum digit for digit. */
export const COST_DECIMAL = 'DECIMAL(38, 12)';

const DIMENSION_COLUMNS = `period_start_ns BIGINT NOT NULL, project_id VARCHAR NOT NULL,
    model VARCHAR, response_model VARCHAR, provider VARCHAR, tenant VARCHAR, feature VARCHAR,
    service_name VARCHAR NOT NULL, environment VARCHAR, operation VARCHAR NOT NULL, error_type VARCHAR,
    registered_model VARCHAR`;

function grainSchema(grain: RollupGrain): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${grain.sumsTable} (${DIMENSION_COLUMNS},
      requests BIGINT NOT NULL, errors BIGINT NOT NULL,
      input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,
      cached_input_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
      reasoning_tokens BIGINT NOT NULL, cost_usd ${COST_DECIMAL}, unpriced_requests BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${grain.latencyTable} (${DIMENSION_COLUMNS},
      b SMALLINT NOT NULL, n BIGINT NOT NULL)`,
  ];
}

export const ROLLUP_SCHEMA: readonly string[] = [
  ...grainSchema(MINUTE_GRAIN),
  ...grainSchema(HOUR_GRAIN),
  // Trace ids are random, so min/max zone maps cannot skip row groups; the ART index
  // turns a lookup by id into a point read.
  'CREATE INDEX IF NOT EXISTS spans_trace_id_idx ON spans (trace_id)',
];
