import type { RetentionCounts, RetentionCutoffs } from '../../../retention/retention-types.ts';
import { blankExpiredLogBodies, blankExpiredSpanContent } from './content-expiry.ts';
import {
  tableExists,
  type MaintenanceConnection,
  type MaintenanceRun,
} from './maintenance-connection.ts';

const NANOS_PER_MS = 1_000_000n;

function deleteBefore(
  run: MaintenanceRun,
  table: string,
  column: string,
  cutoff: bigint | null,
): Promise<number> {
  if (cutoff === null) return Promise.resolve(0);
  return run.change(`DELETE FROM ${table} WHERE ${column} < $1`, [cutoff]);
}

async function deleteScoresBefore(run: MaintenanceRun, cutoff: bigint | null): Promise<number> {
  if (cutoff === null || !(await tableExists(run, 'scores'))) return 0;
  return run.change('DELETE FROM scores WHERE timestamp_ms < $1', [cutoff / NANOS_PER_MS]);
}

/**
 * Deletes expired rows and blanks expired content in one transaction, then
 * checkpoints. Deleting spans first means content is only blanked on spans
 * that stay.
 */
export async function applyRetention(
  db: MaintenanceConnection,
  cutoffs: RetentionCutoffs,
): Promise<RetentionCounts> {
  const counts = await db.transaction(async (run) => ({
    spansDeleted: await deleteBefore(run, 'spans', 'start_ns', cutoffs.spansBeforeUnixNano),
    logRecordsDeleted: await deleteBefore(
      run,
      'log_records',
      'time_ns',
      cutoffs.logsBeforeUnixNano,
    ),
    metricPointsDeleted: await deleteBefore(
      run,
      'metric_points',
      'time_ns',
      cutoffs.metricsBeforeUnixNano,
    ),
    scoresDeleted: await deleteScoresBefore(run, cutoffs.scoresBeforeUnixNano),
    spansContentBlanked:
      cutoffs.contentBeforeUnixNano === null
        ? 0
        : await blankExpiredSpanContent(run, cutoffs.contentBeforeUnixNano),
    logBodiesBlanked:
      cutoffs.contentBeforeUnixNano === null
        ? 0
        : await blankExpiredLogBodies(run, cutoffs.contentBeforeUnixNano),
  }));
  await db.checkpoint();
  return counts;
}
