/**
 * Per-minute rollups of LLM call spans. Each row sums the calls of one minute and one
 * combination of the group-by and filter dimensions; latency is kept as counts per
 * logarithmic bucket, so percentiles over many rows are approximations (see
 * LATENCY_BUCKET_GROWTH).
 */
export const ROLLUP_TABLE = 'span_rollup_1m';

export const MINUTE_NS = 60_000_000_000n;

/** Dimension columns, named as in the spans table so filters and group-bys read both. */
export const ROLLUP_DIMENSIONS = [
  'model',
  'response_model',
  'provider',
  'tenant',
  'feature',
  'service_name',
  'environment',
  'operation',
  'error_type',
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

/** SQL: the representative duration in ms of the bucket in `column`. */
export function bucketValueSql(column: string): string {
  return `2 * pow(${LATENCY_BUCKET_GROWTH}, ${column}) / (1 + ${LATENCY_BUCKET_GROWTH})`;
}

/** Exact decimal costs, so that sums in any grouping match the raw sum digit for digit. */
export const COST_DECIMAL = 'DECIMAL(38, 12)';

export const ROLLUP_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${ROLLUP_TABLE} (
    minute_ns BIGINT NOT NULL,
    model VARCHAR, response_model VARCHAR, provider VARCHAR, tenant VARCHAR, feature VARCHAR,
    service_name VARCHAR NOT NULL, environment VARCHAR, operation VARCHAR NOT NULL, error_type VARCHAR,
    requests BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    input_tokens HUGEINT NOT NULL,
    output_tokens HUGEINT NOT NULL,
    cached_input_tokens HUGEINT NOT NULL,
    cache_write_tokens HUGEINT NOT NULL,
    reasoning_tokens HUGEINT NOT NULL,
    cost_usd ${COST_DECIMAL},
    unpriced_requests BIGINT NOT NULL,
    latency_buckets STRUCT(b SMALLINT, n BIGINT)[] NOT NULL
  )`,
  // Trace ids are random, so min/max zone maps cannot skip row groups; the ART index
  // turns a lookup by id into a point read.
  'CREATE INDEX IF NOT EXISTS spans_trace_id_idx ON spans (trace_id)',
];
