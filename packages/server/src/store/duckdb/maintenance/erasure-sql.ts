import { randomUUID } from 'node:crypto';
import type {
  ErasureCounts,
  ErasureLogEntry,
  ErasureRequest,
} from '../../../erasure/erasure-types.ts';
import {
  tableExists,
  type MaintenanceConnection,
  type MaintenanceRun,
  type Param,
} from './maintenance-connection.ts';

const NANOS_PER_MS = 1_000_000n;

export const ERASURE_LOG_SCHEMA = `CREATE TABLE IF NOT EXISTS erasure_log (
  id VARCHAR NOT NULL, requested_at_ms BIGINT NOT NULL, requested_by VARCHAR NOT NULL,
  user_pseudonym VARCHAR NOT NULL, spans BIGINT NOT NULL, log_records BIGINT NOT NULL,
  metric_points BIGINT NOT NULL, scores BIGINT NOT NULL)`;

/** Logs created before projects get the column here; their entries belong to `default`. */
export const ERASURE_LOG_PROJECT_COLUMN =
  "ALTER TABLE erasure_log ADD COLUMN IF NOT EXISTS project_id VARCHAR DEFAULT 'default'";

/** Builds `$n` placeholders for `values`, appending them to `params`. */
function placeholders(params: Param[], values: readonly string[]): string {
  return values.map((value) => `$${params.push(value)}`).join(', ');
}

/** Builds SQL that is true when a user-id key of the JSON column contains one of the ids. */
function userAttributeMatch(column: string, request: ErasureRequest, params: Param[]): string {
  if (request.userIdKeys.length === 0) return 'false';
  const ids = placeholders(params, request.userIds);
  return request.userIdKeys
    .map(
      (key) =>
        `json_extract_string(${column}, $${params.push(`$."${key.replaceAll('"', '\\"')}"`)}) IN (${ids})`,
    )
    .join(' OR ');
}

/** Returns the ids of the stored traces of `request.projectId` that have a span of the user. */
export async function erasedTraceIds(
  db: MaintenanceConnection,
  request: ErasureRequest,
): Promise<string[]> {
  const params: Param[] = [request.projectId];
  const rows = await db.transaction((run) =>
    run.read(
      `SELECT DISTINCT trace_id FROM spans
       WHERE project_id = $1 AND user_id IN (${placeholders(params, request.userIds)})`,
      params,
    ),
  );
  return rows.map((row) => String(row.trace_id));
}

/** Trace ids added to `erased_traces` per statement. */
const TRACE_IDS_PER_INSERT = 1000;

/**
 * Fills `erased_traces` with the stored traces of the user and with `extraTraceIds`, then
 * returns the start times of their stored spans.
 */
async function collectTraces(
  run: MaintenanceRun,
  request: ErasureRequest,
  extraTraceIds: readonly string[],
): Promise<ErasureLogEntry['spanWindow']> {
  await run.change('CREATE OR REPLACE TEMP TABLE erased_traces (trace_id VARCHAR)');
  const params: Param[] = [request.projectId];
  await run.change(
    `INSERT INTO erased_traces SELECT DISTINCT trace_id FROM spans
     WHERE project_id = $1 AND user_id IN (${placeholders(params, request.userIds)})`,
    params,
  );
  for (let start = 0; start < extraTraceIds.length; start += TRACE_IDS_PER_INSERT) {
    const chunk = extraTraceIds.slice(start, start + TRACE_IDS_PER_INSERT);
    const chunkParams: Param[] = [];
    const rows = chunk.map((id) => `($${chunkParams.push(id)})`).join(', ');
    await run.change(`INSERT INTO erased_traces VALUES ${rows}`, chunkParams);
  }
  const rows = await run.read(
    `SELECT min(start_ns) AS first_ns, max(start_ns) AS last_ns FROM spans
     WHERE project_id = $1 AND trace_id IN (SELECT trace_id FROM erased_traces)`,
    [request.projectId],
  );
  const first = rows[0]?.first_ns;
  const last = rows[0]?.last_ns;
  if (typeof first !== 'bigint' || typeof last !== 'bigint') return null;
  return { fromUnixMs: Number(first / NANOS_PER_MS), toUnixMs: Number(last / NANOS_PER_MS) + 1 };
}

/** Deletes the cumulative state of metric series whose key (the attributes as JSON) names the user. */
function deleteSeriesStates(run: MaintenanceRun, request: ErasureRequest): Promise<number> {
  const params: Param[] = [request.projectId];
  const matches = request.userIds.map(
    (id) => `contains(series_key, $${params.push(JSON.stringify(id))})`,
  );
  return run.change(
    `DELETE FROM metric_series_states WHERE project_id = $1 AND (${matches.join(' OR ')})`,
    params,
  );
}

/** Every statement below takes the project as $1, so no other project's rows match. */
async function deleteRows(run: MaintenanceRun, request: ErasureRequest): Promise<ErasureCounts> {
  const traceMatch = 'trace_id IN (SELECT trace_id FROM erased_traces)';
  const project = [request.projectId];
  const spans = await run.change(
    `DELETE FROM spans WHERE project_id = $1 AND ${traceMatch}`,
    project,
  );
  const logParams: Param[] = [request.projectId];
  const logMatch = `${traceMatch} OR ${userAttributeMatch('attributes', request, logParams)} OR ${userAttributeMatch('resource_attributes', request, logParams)}`;
  const logRecords = await run.change(
    `DELETE FROM log_records WHERE project_id = $1 AND (${logMatch})`,
    logParams,
  );
  const metricParams: Param[] = [request.projectId];
  const metricMatch = `${userAttributeMatch('attributes', request, metricParams)} OR ${userAttributeMatch('resource_attributes', request, metricParams)}`;
  const metricPoints = await run.change(
    `DELETE FROM metric_points WHERE project_id = $1 AND (${metricMatch})`,
    metricParams,
  );
  await deleteSeriesStates(run, request);
  const scores = (await tableExists(run, 'scores'))
    ? await run.change(`DELETE FROM scores WHERE project_id = $1 AND ${traceMatch}`, project)
    : 0;
  return { spans, logRecords, metricPoints, scores };
}

function recordErasure(run: MaintenanceRun, entry: ErasureLogEntry): Promise<number> {
  const { counts } = entry;
  return run.change(
    `INSERT INTO erasure_log (id, requested_at_ms, requested_by, user_pseudonym, spans,
       log_records, metric_points, scores, project_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      entry.id,
      entry.requestedAtUnixMs,
      entry.requestedBy,
      entry.loggedUserId,
      counts.spans,
      counts.logRecords,
      counts.metricPoints,
      counts.scores,
      entry.projectId,
    ],
  );
}

/**
 * Deletes every span of each trace with a span of the user, because child
 * spans carry the same conversation without a user id. Deletes the log records
 * and scores of those traces too, and log records and metric points that name
 * the user in a user-id attribute. `setAside` adds the spans erased outside the table to
 * the count, and the traces that those spans tie to the user, whose stored spans are
 * deleted too. One transaction, then a checkpoint.
 */
export async function eraseUser(
  db: MaintenanceConnection,
  request: ErasureRequest,
  setAside: { spans: number; traceIds: readonly string[] } = { spans: 0, traceIds: [] },
): Promise<ErasureLogEntry> {
  const entry = await db.transaction(async (run) => {
    await run.change(ERASURE_LOG_SCHEMA);
    await run.change(ERASURE_LOG_PROJECT_COLUMN);
    const spanWindow = await collectTraces(run, request, setAside.traceIds);
    const deleted = await deleteRows(run, request);
    const counts = { ...deleted, spans: deleted.spans + setAside.spans };
    const logged: ErasureLogEntry = {
      id: randomUUID(),
      projectId: request.projectId,
      requestedAtUnixMs: request.requestedAtUnixMs,
      requestedBy: request.requestedBy,
      loggedUserId: request.loggedUserId,
      counts,
      spanWindow,
    };
    await recordErasure(run, logged);
    return logged;
  });
  await db.checkpoint();
  return entry;
}
