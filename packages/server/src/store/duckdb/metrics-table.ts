import {
  LIST,
  VARCHAR,
  listValue,
  type DuckDBAppender,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { settleSeriesStates, type SeriesState } from '../../metrics/cumulative-to-delta.ts';
import type {
  ExponentialBuckets,
  MetricKind,
  MetricPoint,
  Temporality,
} from '../../metrics/metric-point.ts';
import type { Attributes } from '../../ingest/otlp/otlp-model.ts';
import type { FilterName, Filters, ProjectSeriesState, ProjectWindow } from '../store.ts';
import { DEFAULT_PROJECT_ID } from '../../auth/request-scope.ts';
import { ATTRIBUTION_KEYS } from '../../enrich/attribution.ts';
import { appendNullableDouble, appendNullableVarchar, fillAppender } from './appender-values.ts';
import { isDurableCommitError } from './invalidation.ts';
import { toJson } from './json.ts';
import { num, numOrNull, strOrNull, type Row } from './rows.ts';

const NANOS_PER_MS = 1_000_000n;
const SERIES_STATE_TABLE = 'metric_series_states';
/** The series state table of files created before projects. */
const LEGACY_SERIES_STATE_TABLE = 'metric_series_state';

export const METRICS_SCHEMA: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS metric_points (
    metric_name VARCHAR NOT NULL, unit VARCHAR NOT NULL, kind VARCHAR NOT NULL, temporality VARCHAR NOT NULL,
    is_monotonic BOOLEAN NOT NULL, service_name VARCHAR NOT NULL, scope_name VARCHAR NOT NULL,
    start_ns BIGINT NOT NULL, time_ns BIGINT NOT NULL,
    model VARCHAR, provider VARCHAR, tenant VARCHAR, feature VARCHAR, token_type VARCHAR, error_type VARCHAR,
    value DOUBLE, delta_value DOUBLE, delta_count DOUBLE, delta_sum DOUBLE, min DOUBLE, max DOUBLE,
    explicit_bounds VARCHAR, delta_bucket_counts VARCHAR, exponential VARCHAR, quantiles VARCHAR,
    reset BOOLEAN NOT NULL, attributes VARCHAR NOT NULL, resource_attributes VARCHAR NOT NULL)`,
  // Files created before projects get the column here; their points belong to `default`.
  "ALTER TABLE metric_points ADD COLUMN IF NOT EXISTS project_id VARCHAR DEFAULT 'default'",
  `CREATE TABLE IF NOT EXISTS ${SERIES_STATE_TABLE} (
    project_id VARCHAR NOT NULL, series_key VARCHAR NOT NULL, state VARCHAR NOT NULL,
    PRIMARY KEY (project_id, series_key))`,
];

/**
 * Moves the series states of a file created before projects (one table keyed by series
 * key alone) into the per-project table, as states of `default`, then drops the old table.
 * Does nothing on later starts.
 */
export async function migrateSeriesStates(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*) FROM information_schema.tables WHERE table_name = '${LEGACY_SERIES_STATE_TABLE}'`,
  );
  if (Number(reader.getRows()[0]?.[0] ?? 0) === 0) return;
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`INSERT OR IGNORE INTO ${SERIES_STATE_TABLE}
      SELECT '${DEFAULT_PROJECT_ID}', series_key, state FROM ${LEGACY_SERIES_STATE_TABLE}`);
    await connection.run(`DROP TABLE ${LEGACY_SERIES_STATE_TABLE}`);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

function appendPoint(appender: DuckDBAppender, projectId: string, point: MetricPoint): void {
  appender.appendVarchar(point.metricName);
  appender.appendVarchar(point.unit);
  appender.appendVarchar(point.kind);
  appender.appendVarchar(point.temporality);
  appender.appendBoolean(point.isMonotonic);
  appender.appendVarchar(point.serviceName);
  appender.appendVarchar(point.scopeName);
  appender.appendBigInt(point.startTimeUnixNano);
  appender.appendBigInt(point.timeUnixNano);
  appendNullableVarchar(appender, point.model);
  appendNullableVarchar(appender, point.provider);
  appendNullableVarchar(appender, point.tenant);
  appendNullableVarchar(appender, point.feature);
  appendNullableVarchar(appender, point.tokenType);
  appendNullableVarchar(appender, point.errorType);
  appendNullableDouble(appender, point.value);
  appendNullableDouble(appender, point.deltaValue);
  appendNullableDouble(appender, point.deltaCount);
  appendNullableDouble(appender, point.deltaSum);
  appendNullableDouble(appender, point.min);
  appendNullableDouble(appender, point.max);
  appendNullableVarchar(
    appender,
    point.explicitBounds.length ? JSON.stringify(point.explicitBounds) : null,
  );
  appendNullableVarchar(
    appender,
    point.deltaBucketCounts.length ? JSON.stringify(point.deltaBucketCounts) : null,
  );
  appendNullableVarchar(appender, point.exponential ? JSON.stringify(point.exponential) : null);
  appendNullableVarchar(appender, point.quantiles.length ? JSON.stringify(point.quantiles) : null);
  appender.appendBoolean(point.reset);
  appender.appendVarchar(toJson(point.attributes));
  appender.appendVarchar(toJson(point.resourceAttributes));
  appender.appendVarchar(projectId);
  appender.endRow();
}

/** Saves the states of one project in one statement, replacing the saved state of each key. */
async function saveSeriesStates(
  connection: DuckDBConnection,
  projectId: string,
  states: readonly [string, SeriesState][],
): Promise<void> {
  if (states.length === 0) return;
  // One statement for all rows, because one INSERT per series took about 5 s for an export of
  // 2000 cumulative series (2 AMD EPYC cores), while every other metrics and logs write waited.
  await connection.run(
    `INSERT OR REPLACE INTO ${SERIES_STATE_TABLE} SELECT $1, unnest($2), unnest($3)`,
    [
      projectId,
      listValue(states.map(([key]) => key)),
      listValue(states.map(([, state]) => toJson(state))),
    ],
    [VARCHAR, LIST(VARCHAR), LIST(VARCHAR)],
  );
}

/**
 * Appends the points of one project and saves the cumulative state of the series they
 * touched, in one transaction. Then reports to the converter that produced `states` whether
 * they were committed.
 */
export async function insertMetricPoints(
  connection: DuckDBConnection,
  projectId: string,
  points: readonly MetricPoint[],
  states: readonly [string, SeriesState][],
): Promise<void> {
  try {
    await writeMetricPoints(connection, projectId, points, states);
  } catch (error) {
    // DuckDB reports a durable COMMIT whose checkpoint failed as an error, but the points are stored.
    settleSeriesStates(states, isDurableCommitError(error));
    throw error;
  }
  settleSeriesStates(states, true);
}

async function writeMetricPoints(
  connection: DuckDBConnection,
  projectId: string,
  points: readonly MetricPoint[],
  states: readonly [string, SeriesState][],
): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    if (points.length > 0) {
      await fillAppender(connection, 'metric_points', (appender) => {
        for (const point of points) appendPoint(appender, projectId, point);
      });
    }
    await saveSeriesStates(connection, projectId, states);
    await connection.run('COMMIT');
  } catch (error) {
    // A failed COMMIT has already ended the transaction, so this ROLLBACK may fail too, and
    // its error must not hide the COMMIT's.
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function loadSeriesStates(
  connection: DuckDBConnection,
): Promise<ProjectSeriesState[]> {
  const reader = await connection.runAndReadAll(
    `SELECT project_id, series_key, state FROM ${SERIES_STATE_TABLE}`,
  );
  return reader.getRows().map(([projectId, key, state]) => {
    const raw = JSON.parse(String(state)) as Omit<
      SeriesState,
      'startTimeUnixNano' | 'timeUnixNano'
    > & {
      startTimeUnixNano: string;
      timeUnixNano: string;
    };
    return {
      projectId: String(projectId),
      seriesKey: String(key),
      state: {
        ...raw,
        startTimeUnixNano: BigInt(raw.startTimeUnixNano),
        timeUnixNano: BigInt(raw.timeUnixNano),
      },
    };
  });
}

/** Returns the JSONPath of an attribute key, quoted because keys contain dots. */
function keyPath(key: string): string {
  return `'$."${key}"'`;
}

/**
 * The environment of a point, read like a span's: the first non-empty string value of
 * the environment keys in the point's attributes, then in its resource attributes.
 */
const ENVIRONMENT_SQL = `coalesce(${['attributes', 'resource_attributes']
  .flatMap((column) =>
    ATTRIBUTION_KEYS.environment.map(
      (key) =>
        `CASE WHEN json_type(${column}, ${keyPath(key)}) = 'VARCHAR' THEN nullif(json_extract_string(${column}, ${keyPath(key)}), '') END`,
    ),
  )
  .join(', ')})`;

/** The column or expression each filter compares; null where metric points have no value. */
const FILTER_COLUMNS: Readonly<Record<FilterName, string | null>> = {
  service: 'service_name',
  environment: ENVIRONMENT_SQL,
  model: 'model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  // GenAI metrics carry no registered model, so `metricsSummary` returns no groups for this filter.
  registeredModel: null,
};

function parseList<T>(value: unknown, fallback: T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : fallback;
}

function toPoint(row: Row): MetricPoint {
  const get = (column: string) => row[column] ?? null;
  return {
    metricName: String(get('metric_name')),
    unit: String(get('unit')),
    kind: String(get('kind')) as MetricKind,
    temporality: String(get('temporality')) as Temporality,
    isMonotonic: get('is_monotonic') === true,
    serviceName: String(get('service_name')),
    scopeName: String(get('scope_name')),
    startTimeUnixNano: BigInt(get('start_ns') as bigint),
    timeUnixNano: BigInt(get('time_ns') as bigint),
    model: strOrNull(get('model')),
    provider: strOrNull(get('provider')),
    tenant: strOrNull(get('tenant')),
    feature: strOrNull(get('feature')),
    tokenType: strOrNull(get('token_type')),
    errorType: strOrNull(get('error_type')),
    value: numOrNull(get('value')),
    deltaValue: numOrNull(get('delta_value')),
    deltaCount: numOrNull(get('delta_count')),
    deltaSum: numOrNull(get('delta_sum')),
    min: numOrNull(get('min')),
    max: numOrNull(get('max')),
    explicitBounds: parseList<number[]>(get('explicit_bounds'), []),
    deltaBucketCounts: parseList<number[]>(get('delta_bucket_counts'), []),
    exponential: parseList<ExponentialBuckets | null>(get('exponential'), null),
    quantiles: parseList<{ quantile: number; value: number }[]>(get('quantiles'), []),
    reset: get('reset') === true,
    attributes: parseList<Attributes>(get('attributes'), {}),
    resourceAttributes: parseList<Attributes>(get('resource_attributes'), {}),
  };
}

/** Reads the project's points of the named metrics whose time falls in the window. */
export async function selectMetricPoints(
  connection: DuckDBConnection,
  window: ProjectWindow,
  metricNames: readonly string[],
  filters: Filters,
): Promise<MetricPoint[]> {
  if (metricNames.length === 0) return [];
  const params: (string | bigint)[] = [
    BigInt(window.fromUnixMs) * NANOS_PER_MS,
    BigInt(window.toUnixMs) * NANOS_PER_MS,
    window.projectId,
  ];
  const names = metricNames.map((name) => {
    params.push(name);
    return `$${params.length}`;
  });
  const clauses = [
    'time_ns >= $1',
    'time_ns < $2',
    'project_id = $3',
    `metric_name IN (${names.join(', ')})`,
  ];
  for (const [name, value] of Object.entries(filters) as [FilterName, string | undefined][]) {
    const column = FILTER_COLUMNS[name];
    if (value === undefined || column === null) continue;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  }
  const reader = await connection.runAndReadAll(
    `SELECT * FROM metric_points WHERE ${clauses.join(' AND ')} ORDER BY time_ns`,
    params,
  );
  return (reader.getRowObjects() as Row[]).map(toPoint);
}

export async function countMetricPoints(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll('SELECT count(*) AS n FROM metric_points');
  return num((reader.getRowObjects()[0] as Row).n ?? null);
}
