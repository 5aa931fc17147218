import { randomUUID } from 'node:crypto';
import type {
  ErasureCounts,
  ErasureLogEntry,
  ErasureRequest,
} from '../../erasure/erasure-types.ts';
import type { ClickHouseDriver } from './driver.ts';
import { tableName, type ClickHouseLayout } from './layout.ts';
import { countAndDelete } from './retention.ts';
import type { ScoreCleanup } from './score-cleanup.ts';
import { Params } from './sql.ts';
import { nanos, str } from './values.ts';

const NANOS_PER_MS = 1_000_000n;

/** SQL: true when a user-id key of the JSON column contains one of the request's ids. */
function userAttributeMatch(column: string, request: ErasureRequest, params: Params): string {
  if (request.userIdKeys.length === 0) return 'false';
  const ids = params.add([...request.userIds], 'Array(String)');
  return request.userIdKeys
    .map((key) => `JSONExtractString(${column}, ${params.add(key, 'String')}) IN ${ids}`)
    .join(' OR ');
}

interface ErasedTraces {
  traceIds: string[];
  spanWindow: ErasureLogEntry['spanWindow'];
}

async function collectTraces(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  request: ErasureRequest,
): Promise<ErasedTraces> {
  const params = new Params();
  const project = params.add(request.projectId, 'String');
  const spans = tableName(layout, 'spans');
  const rows = await driver.query(
    `SELECT trace_id, toString(toUnixTimestamp64Nano(min(start_time))) AS first_ns,
       toString(toUnixTimestamp64Nano(max(start_time))) AS last_ns
     FROM ${spans}
     WHERE project_id = ${project} AND trace_id IN (
       SELECT DISTINCT trace_id FROM ${spans}
       WHERE project_id = ${project} AND user_id IN ${params.add([...request.userIds], 'Array(String)')})
     GROUP BY trace_id`,
    params.values,
  );
  if (rows.length === 0) return { traceIds: [], spanWindow: null };
  let firstNs = nanos(rows[0]!.first_ns);
  let lastNs = nanos(rows[0]!.last_ns);
  for (const row of rows) {
    if (nanos(row.first_ns) < firstNs) firstNs = nanos(row.first_ns);
    if (nanos(row.last_ns) > lastNs) lastNs = nanos(row.last_ns);
  }
  return {
    traceIds: rows.map((row) => str(row.trace_id)),
    spanWindow: {
      fromUnixMs: Number(firstNs / NANOS_PER_MS),
      toUnixMs: Number(lastNs / NANOS_PER_MS) + 1,
    },
  };
}

async function deleteRows(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  request: ErasureRequest,
  traceIds: readonly string[],
  scores: ScoreCleanup | null,
): Promise<ErasureCounts> {
  const spanParams = new Params();
  const spanProject = `project_id = ${spanParams.add(request.projectId, 'String')}`;
  const spans =
    traceIds.length === 0
      ? 0
      : await countAndDelete(
          driver,
          layout,
          'spans',
          `${spanProject} AND trace_id IN ${spanParams.add([...traceIds], 'Array(String)')}`,
          spanParams,
        );

  const logParams = new Params();
  const logWhere = `project_id = ${logParams.add(request.projectId, 'String')} AND (trace_id IN ${logParams.add([...traceIds], 'Array(String)')}
    OR ${userAttributeMatch('attributes', request, logParams)} OR ${userAttributeMatch('resource_attributes', request, logParams)})`;
  const logRecords = await countAndDelete(driver, layout, 'log_records', logWhere, logParams);

  const metricParams = new Params();
  const metricWhere = `project_id = ${metricParams.add(request.projectId, 'String')} AND (${userAttributeMatch('attributes', request, metricParams)}
    OR ${userAttributeMatch('resource_attributes', request, metricParams)})`;
  const metricPoints = await countAndDelete(
    driver,
    layout,
    'metric_points',
    metricWhere,
    metricParams,
  );

  const stateParams = new Params();
  const stateMatches = request.userIds.map(
    (id) => `position(series_key, ${stateParams.add(JSON.stringify(id), 'String')}) > 0`,
  );
  const stateWhere = `project_id = ${stateParams.add(request.projectId, 'String')} AND (${stateMatches.join(' OR ') || 'false'})`;
  await countAndDelete(driver, layout, 'metric_series_state', stateWhere, stateParams);
  const scoresDeleted =
    scores === null ? 0 : await scores.deleteTraces(request.projectId, traceIds);
  return { spans, logRecords, metricPoints, scores: scoresDeleted };
}

/**
 * Deletes, within the request's project, every span of each trace with a span of the user
 * and the log records of those traces, and through `scores` the scores of those traces
 * (they live in the DuckDB file). Also deletes log records and metric points that name
 * the user in a user-id attribute, then appends the erasure to the erasure log.
 */
export async function eraseUser(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  request: ErasureRequest,
  scores: ScoreCleanup | null,
): Promise<ErasureLogEntry> {
  const traces = await collectTraces(driver, layout, request);
  const counts = await deleteRows(driver, layout, request, traces.traceIds, scores);
  const entry: ErasureLogEntry = {
    id: randomUUID(),
    projectId: request.projectId,
    requestedAtUnixMs: request.requestedAtUnixMs,
    requestedBy: request.requestedBy,
    loggedUserId: request.loggedUserId,
    counts,
    spanWindow: traces.spanWindow,
  };
  await driver.insert(tableName(layout, 'erasure_log'), [
    {
      id: entry.id,
      project_id: entry.projectId,
      requested_at_ms: entry.requestedAtUnixMs,
      requested_by: entry.requestedBy,
      user_pseudonym: entry.loggedUserId,
      spans: counts.spans,
      log_records: counts.logRecords,
      metric_points: counts.metricPoints,
      scores: counts.scores,
    },
  ]);
  return entry;
}
