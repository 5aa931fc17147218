import { ATTRIBUTION_KEYS } from '../../enrich/attribution.ts';
import type { Attributes } from '../../ingest/otlp/otlp-model.ts';
import { settleSeriesStates, type SeriesState } from '../../metrics/cumulative-to-delta.ts';
import type {
  ExponentialBuckets,
  MetricKind,
  MetricPoint,
  Temporality,
} from '../../metrics/metric-point.ts';
import { toJson } from '../duckdb/json.ts';
import type { FilterName, Filters, ProjectSeriesState, ProjectWindow } from '../store.ts';
import type { ClickHouseDriver, Row } from './driver.ts';
import { Params, unixNanoOfMs } from './sql.ts';
import { dateTime64Text, finiteOrNull, nanos, numOrNull, str, strOrNull } from './values.ts';

/**
 * The environment of a point: the first non-empty value of the default environment keys
 * in the point's attributes, then in its resource attributes. `JSONExtractString` returns
 * '' for a missing key.
 * NOTE: chdb 3.4.0 also matches a number or boolean value as text, while the DuckDB store
 * matches strings only.
 */
const ENVIRONMENT_SQL = `coalesce(${['attributes', 'resource_attributes']
  .flatMap((column) =>
    ATTRIBUTION_KEYS.environment.map((key) => `nullIf(JSONExtractString(${column}, '${key}'), '')`),
  )
  .join(', ')})`;

/**
 * The column or expression each filter compares. Metric points carry no registered model,
 * so that filter is ignored here, as in the DuckDB backend, and `metricsSummary` returns no
 * groups for it.
 */
const FILTER_COLUMNS: Readonly<Record<FilterName, string | null>> = {
  service: 'service_name',
  environment: ENVIRONMENT_SQL,
  model: 'model',
  provider: 'provider',
  tenant: 'tenant',
  feature: 'feature',
  registeredModel: null,
};

function jsonOrNull(value: unknown[] | object | null, empty: boolean): string | null {
  return value === null || empty ? null : JSON.stringify(value);
}

function pointToRow(projectId: string, point: MetricPoint): Row {
  return {
    project_id: projectId,
    metric_name: point.metricName,
    unit: point.unit,
    kind: point.kind,
    temporality: point.temporality,
    is_monotonic: point.isMonotonic,
    service_name: point.serviceName,
    scope_name: point.scopeName,
    start_time: dateTime64Text(point.startTimeUnixNano),
    time: dateTime64Text(point.timeUnixNano),
    model: point.model,
    provider: point.provider,
    tenant: point.tenant,
    feature: point.feature,
    token_type: point.tokenType,
    error_type: point.errorType,
    value: finiteOrNull(point.value),
    delta_value: finiteOrNull(point.deltaValue),
    delta_count: finiteOrNull(point.deltaCount),
    delta_sum: finiteOrNull(point.deltaSum),
    min: finiteOrNull(point.min),
    max: finiteOrNull(point.max),
    explicit_bounds: jsonOrNull(point.explicitBounds, point.explicitBounds.length === 0),
    delta_bucket_counts: jsonOrNull(point.deltaBucketCounts, point.deltaBucketCounts.length === 0),
    exponential: jsonOrNull(point.exponential, false),
    quantiles: jsonOrNull(point.quantiles, point.quantiles.length === 0),
    reset: point.reset,
    attributes: toJson(point.attributes),
    resource_attributes: toJson(point.resourceAttributes),
  };
}

/** Orders series state versions written by this process, also within one millisecond. */
let stateVersionSequence = 0;

/**
 * Inserts the points of one project, then the cumulative state of the series they
 * touched. The converter that produced `states` keeps them once the points are stored and
 * undoes them when that insert fails, so a resend converts as the first send would have.
 * ClickHouse has no transaction across the two inserts.
 * NOTE: a crash between the two inserts keeps the points without the state, so after a
 * restart the next point of those series is a baseline and their increase since the last
 * saved state is lost.
 */
export async function insertMetricPoints(
  driver: ClickHouseDriver,
  tables: { points: string; states: string },
  projectId: string,
  points: readonly MetricPoint[],
  states: readonly [string, SeriesState][],
): Promise<void> {
  try {
    await driver.insert(
      tables.points,
      points.map((point) => pointToRow(projectId, point)),
    );
  } catch (error) {
    settleSeriesStates(states, false);
    throw error;
  }
  settleSeriesStates(states, true);
  const version = BigInt(Date.now()) * 1000n + BigInt(stateVersionSequence++ % 1000);
  await driver.insert(
    tables.states,
    states.map(([seriesKey, state]) => ({
      project_id: projectId,
      series_key: seriesKey,
      state: toJson(state),
      version: version.toString(),
    })),
  );
}

/** Reads the newest saved state of every series of every project. */
export async function loadSeriesStates(
  driver: ClickHouseDriver,
  table: string,
): Promise<ProjectSeriesState[]> {
  const rows = await driver.query(
    `SELECT project_id, series_key, argMax(state, version) AS state FROM ${table}
     GROUP BY project_id, series_key ORDER BY project_id, series_key`,
  );
  return rows.map((row) => {
    const raw = JSON.parse(str(row.state)) as Omit<
      SeriesState,
      'startTimeUnixNano' | 'timeUnixNano'
    > & { startTimeUnixNano: string; timeUnixNano: string };
    return {
      projectId: str(row.project_id),
      seriesKey: str(row.series_key),
      state: {
        ...raw,
        startTimeUnixNano: BigInt(raw.startTimeUnixNano),
        timeUnixNano: BigInt(raw.timeUnixNano),
      },
    };
  });
}

function parseJson<T>(value: unknown, fallback: T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : fallback;
}

function rowToPoint(row: Row): MetricPoint {
  return {
    metricName: str(row.metric_name),
    unit: str(row.unit),
    kind: str(row.kind) as MetricKind,
    temporality: str(row.temporality) as Temporality,
    isMonotonic: row.is_monotonic === true,
    serviceName: str(row.service_name),
    scopeName: str(row.scope_name),
    startTimeUnixNano: nanos(row.start_ns),
    timeUnixNano: nanos(row.time_ns),
    model: strOrNull(row.model),
    provider: strOrNull(row.provider),
    tenant: strOrNull(row.tenant),
    feature: strOrNull(row.feature),
    tokenType: strOrNull(row.token_type),
    errorType: strOrNull(row.error_type),
    value: numOrNull(row.value),
    deltaValue: numOrNull(row.delta_value),
    deltaCount: numOrNull(row.delta_count),
    deltaSum: numOrNull(row.delta_sum),
    min: numOrNull(row.min),
    max: numOrNull(row.max),
    explicitBounds: parseJson<number[]>(row.explicit_bounds, []),
    deltaBucketCounts: parseJson<number[]>(row.delta_bucket_counts, []),
    exponential: parseJson<ExponentialBuckets | null>(row.exponential, null),
    quantiles: parseJson<{ quantile: number; value: number }[]>(row.quantiles, []),
    reset: row.reset === true,
    attributes: parseJson<Attributes>(row.attributes, {}),
    resourceAttributes: parseJson<Attributes>(row.resource_attributes, {}),
  };
}

/** Reads the points of the named metrics of one project whose time falls in the window. */
export async function selectMetricPoints(
  driver: ClickHouseDriver,
  table: string,
  window: ProjectWindow,
  metricNames: readonly string[],
  filters: Filters,
): Promise<MetricPoint[]> {
  if (metricNames.length === 0) return [];
  const params = new Params();
  const clauses = [
    `project_id = ${params.add(window.projectId, 'String')}`,
    `time >= ${params.time(unixNanoOfMs(window.fromUnixMs))}`,
    `time < ${params.time(unixNanoOfMs(window.toUnixMs))}`,
    `metric_name IN ${params.add([...metricNames], 'Array(String)')}`,
  ];
  for (const [name, value] of Object.entries(filters) as [FilterName, string | undefined][]) {
    const column = FILTER_COLUMNS[name];
    if (value === undefined || column === null) continue;
    clauses.push(`${column} = ${params.add(value, 'String')}`);
  }
  const rows = await driver.query(
    `SELECT * EXCEPT (start_time, time), toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
       toString(toUnixTimestamp64Nano(time)) AS time_ns
     FROM ${table} WHERE ${clauses.join(' AND ')} ORDER BY time`,
    params.values,
  );
  return rows.map(rowToPoint);
}
