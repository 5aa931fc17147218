import { blankSpanContent, CONTENT_EXPIRED_KEY } from '../duckdb/maintenance/content-expiry.ts';
import type { Attributes } from '../../ingest/otlp/otlp-model.ts';
import type { RetentionCounts, RetentionCutoffs } from '../../retention/retention-types.ts';
import { toAttributeMap } from './attribute-map.ts';
import type { ClickHouseDriver } from './driver.ts';
import { mutationTarget, tableName, type ClickHouseLayout } from './layout.ts';
import type { ScoreCleanup } from './score-cleanup.ts';
import { Params } from './sql.ts';
import { num, str } from './values.ts';

const NANOS_PER_MS = 1_000_000n;
const EXPIRED_MARK = `%"${CONTENT_EXPIRED_KEY}":true%`;
/** Spans rewritten per ALTER UPDATE. */
const BATCH_SPANS = 500;
/** Batches per run; later runs continue where this one stopped. */
const MAX_BATCHES_PER_RUN = 200;

/** Counts the rows matching `where`, then deletes them, because ClickHouse reports no deleted-row count. */
export async function countAndDelete(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  base: string,
  where: string,
  params: Params,
): Promise<number> {
  const rows = await driver.query(
    `SELECT count() AS n FROM ${tableName(layout, base)} WHERE ${where}`,
    params.values,
  );
  const count = num(rows[0]?.n);
  if (count > 0) {
    await driver.command(
      `ALTER TABLE ${mutationTarget(layout, base)} DELETE WHERE ${where}`,
      params.values,
    );
  }
  return count;
}

function deleteBefore(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  base: string,
  column: string,
  cutoffUnixNano: bigint | null,
): Promise<number> {
  if (cutoffUnixNano === null) return Promise.resolve(0);
  const params = new Params();
  return countAndDelete(driver, layout, base, `${column} < ${params.time(cutoffUnixNano)}`, params);
}

async function blankSpanBatch(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  cutoffUnixNano: bigint,
): Promise<number> {
  const select = new Params();
  const rows = await driver.query(
    `SELECT trace_id, span_id, attributes, events FROM ${tableName(layout, 'spans')}
     WHERE start_time < ${select.time(cutoffUnixNano)} AND attributes NOT LIKE ${select.add(EXPIRED_MARK, 'String')}
     ORDER BY start_time, trace_id, span_id LIMIT ${BATCH_SPANS}`,
    select.values,
  );
  if (rows.length === 0) return 0;
  const keys: string[] = [];
  const attributes: string[] = [];
  const attributeMaps: string[] = [];
  const events: string[] = [];
  for (const row of rows) {
    const blanked = blankSpanContent(str(row.attributes), str(row.events));
    keys.push(`${str(row.trace_id)}\u0000${str(row.span_id)}`);
    attributes.push(blanked.attributes);
    attributeMaps.push(
      JSON.stringify(toAttributeMap(JSON.parse(blanked.attributes) as Attributes)),
    );
    events.push(blanked.events);
  }

  const update = new Params();
  const key = "concat(trace_id, '\\0', span_id)";
  const keyList = update.add(keys, 'Array(String)');
  await driver.command(
    `ALTER TABLE ${mutationTarget(layout, 'spans')}
     UPDATE attributes = transform(${key}, ${keyList}, ${update.add(attributes, 'Array(String)')}, attributes),
       attributes_map = JSONExtract(transform(${key}, ${keyList}, ${update.add(attributeMaps, 'Array(String)')}, '{}'), 'Map(String, String)'),
       events = transform(${key}, ${keyList}, ${update.add(events, 'Array(String)')}, events)
     WHERE start_time < ${update.time(cutoffUnixNano)} AND ${key} IN ${keyList}`,
    update.values,
  );
  return rows.length;
}

/** Removes content attributes from spans older than the cutoff, a batch at a time; returns the spans rewritten. */
async function blankExpiredSpanContent(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  cutoffUnixNano: bigint,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const count = await blankSpanBatch(driver, layout, cutoffUnixNano);
    total += count;
    if (count < BATCH_SPANS) break;
  }
  return total;
}

async function blankExpiredLogBodies(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  cutoffUnixNano: bigint,
): Promise<number> {
  const params = new Params();
  const where = `time < ${params.time(cutoffUnixNano)} AND body != 'null'`;
  const rows = await driver.query(
    `SELECT count() AS n FROM ${tableName(layout, 'log_records')} WHERE ${where}`,
    params.values,
  );
  const count = num(rows[0]?.n);
  if (count > 0) {
    await driver.command(
      `ALTER TABLE ${mutationTarget(layout, 'log_records')} UPDATE body = 'null' WHERE ${where}`,
      params.values,
    );
  }
  return count;
}

function deleteScoresBefore(
  scores: ScoreCleanup | null,
  cutoffUnixNano: bigint | null,
): Promise<number> {
  if (scores === null || cutoffUnixNano === null) return Promise.resolve(0);
  return scores.deleteBefore(Number(cutoffUnixNano / NANOS_PER_MS));
}

/**
 * Deletes expired rows of every project and blanks expired content. Deleting spans first
 * means content is only blanked on spans that stay. Scores live in the DuckDB file and are
 * deleted through `scores`; without it `scoresDeleted` is 0. Each step is its own
 * mutation: a failure part way leaves the earlier steps applied, and the next run repeats
 * the rest.
 */
export async function applyRetention(
  driver: ClickHouseDriver,
  layout: ClickHouseLayout,
  cutoffs: RetentionCutoffs,
  scores: ScoreCleanup | null,
): Promise<RetentionCounts> {
  const spansDeleted = await deleteBefore(
    driver,
    layout,
    'spans',
    'start_time',
    cutoffs.spansBeforeUnixNano,
  );
  const logRecordsDeleted = await deleteBefore(
    driver,
    layout,
    'log_records',
    'time',
    cutoffs.logsBeforeUnixNano,
  );
  const metricPointsDeleted = await deleteBefore(
    driver,
    layout,
    'metric_points',
    'time',
    cutoffs.metricsBeforeUnixNano,
  );
  const contentCutoff = cutoffs.contentBeforeUnixNano;
  return {
    spansDeleted,
    logRecordsDeleted,
    metricPointsDeleted,
    scoresDeleted: await deleteScoresBefore(scores, cutoffs.scoresBeforeUnixNano),
    spansContentBlanked:
      contentCutoff === null ? 0 : await blankExpiredSpanContent(driver, layout, contentCutoff),
    logBodiesBlanked:
      contentCutoff === null ? 0 : await blankExpiredLogBodies(driver, layout, contentCutoff),
  };
}
