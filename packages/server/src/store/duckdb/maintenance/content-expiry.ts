import { isContentEvent, isContentKey } from '@foghorn/redact';
import type { MaintenanceRun, Param } from './maintenance-connection.ts';
import { setEntry } from '../../../lookup-table.ts';

/** Attribute set on spans whose content has expired, so later runs skip them. */
export const CONTENT_EXPIRED_KEY = 'foghorn.content_expired';
const EXPIRED_MARK = `%"${CONTENT_EXPIRED_KEY}":true%`;
/** Spans rewritten per UPDATE statement. */
const BATCH_SPANS = 500;
/** Batches per run; later runs continue where this one stopped. */
const MAX_BATCHES_PER_RUN = 200;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutContent(attributes: JsonObject, onEvent: boolean): JsonObject {
  const kept: JsonObject = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!isContentKey(key, onEvent)) setEntry(kept, key, value);
  }
  return kept;
}

/** Removes content attributes from the span and its events, keeping event names and times, and marks the span. */
export function blankSpanContent(
  attributesJson: string,
  eventsJson: string,
): { attributes: string; events: string } {
  const attributes = withoutContent(JSON.parse(attributesJson) as JsonObject, false);
  attributes[CONTENT_EXPIRED_KEY] = true;
  const events = (JSON.parse(eventsJson) as unknown[]).map((event) => {
    if (!isObject(event) || !isObject(event.attributes)) return event;
    const onContentEvent = typeof event.name === 'string' && isContentEvent(event.name);
    const eventAttributes = onContentEvent ? {} : withoutContent(event.attributes, true);
    return { ...event, attributes: eventAttributes };
  });
  return { attributes: JSON.stringify(attributes), events: JSON.stringify(events) };
}

async function blankBatch(run: MaintenanceRun, beforeUnixNano: bigint): Promise<number> {
  const rows = await run.read(
    `SELECT trace_id, span_id, attributes, events FROM spans
     WHERE start_ns < $1 AND attributes NOT LIKE $2 LIMIT ${BATCH_SPANS}`,
    [beforeUnixNano, EXPIRED_MARK],
  );
  if (rows.length === 0) return 0;
  const params: Param[] = [];
  const tuples = rows.map((row) => {
    const blanked = blankSpanContent(String(row.attributes), String(row.events));
    const base =
      params.push(String(row.trace_id), String(row.span_id), blanked.attributes, blanked.events) -
      4;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4})`;
  });
  await run.change(
    `UPDATE spans SET attributes = v.attributes, events = v.events
     FROM (VALUES ${tuples.join(', ')}) AS v(trace_id, span_id, attributes, events)
     WHERE spans.trace_id = v.trace_id AND spans.span_id = v.span_id`,
    params,
  );
  return rows.length;
}

/**
 * Blanks the content of spans that started before the cutoff: content
 * attributes are removed and the span keeps its metadata (model, tokens, cost,
 * times). Returns the spans rewritten.
 */
export async function blankExpiredSpanContent(
  run: MaintenanceRun,
  beforeUnixNano: bigint,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const count = await blankBatch(run, beforeUnixNano);
    total += count;
    if (count < BATCH_SPANS) break;
  }
  return total;
}

/** Sets the body of log records older than the cutoff to JSON null; returns the records changed. */
export function blankExpiredLogBodies(
  run: MaintenanceRun,
  beforeUnixNano: bigint,
): Promise<number> {
  return run.change("UPDATE log_records SET body = 'null' WHERE time_ns < $1 AND body <> 'null'", [
    beforeUnixNano,
  ]);
}
