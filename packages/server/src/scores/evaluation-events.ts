import type { AttributeValue, Attributes } from '../ingest/otlp/otlp-model.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import type { ScoreRecord } from './score-store.ts';

/** The event name the OTel GenAI conventions give an evaluation result. */
export const EVALUATION_EVENT = 'gen_ai.evaluation.result';

/** The source of scores read from evaluation events, as stored and returned by the API. */
export const EVALUATION_EVENT_SOURCE = 'otel-event';

const NAME = 'gen_ai.evaluation.name';
const SCORE_VALUE = 'gen_ai.evaluation.score.value';
const SCORE_LABEL = 'gen_ai.evaluation.score.label';
const EXPLANATION = 'gen_ai.evaluation.explanation';
const MAX_NAME_LENGTH = 200;

/**
 * Reads the scores a span carries: evaluation events on it, one per event with a
 * name, and OpenInference annotations in its attributes.
 */
export function scoresFromSpans(spans: readonly CanonicalSpan[]): ScoreRecord[] {
  const scores: ScoreRecord[] = [];
  for (const span of spans) {
    scores.push(...annotationScores(span));
    for (const event of span.events) {
      if (event.name !== EVALUATION_EVENT) continue;
      const call = { projectId: span.projectId, traceId: span.traceId, spanId: span.spanId };
      const score = toScore(event.attributes, call, event.timeUnixNano);
      if (score !== null) scores.push(score);
    }
  }
  return scores;
}

/**
 * Reads the scores of evaluation events sent as log records. A record without a
 * trace id cannot be tied to a call and gives no score.
 */
export function scoresFromLogRecords(
  records: readonly StoredLogRecord[],
  projectId: string,
): ScoreRecord[] {
  const scores: ScoreRecord[] = [];
  for (const record of records) {
    if (record.eventName !== EVALUATION_EVENT || record.traceId === '') continue;
    const spanId = record.spanId === '' ? null : record.spanId;
    const call = { projectId, traceId: record.traceId, spanId };
    const score = toScore(record.attributes, call, record.timeUnixNano);
    if (score !== null) scores.push(score);
  }
  return scores;
}

/**
 * One score from the event's attributes: a finite `score.value` gives a numeric
 * score, otherwise `score.label` gives a categorical one. The id depends only on
 * the call and the evaluation name, so a resent event replaces its score.
 */
interface ScoredCall {
  projectId: string;
  traceId: string;
  spanId: string | null;
}

function toScore(
  attributes: Attributes,
  call: ScoredCall,
  timeUnixNano: bigint,
  source = EVALUATION_EVENT_SOURCE,
): ScoreRecord | null {
  const name = stringOf(attributes[NAME]);
  if (name === null || name.length > MAX_NAME_LENGTH) return null;
  const value = attributes[SCORE_VALUE];
  const numeric = typeof value === 'number' && Number.isFinite(value) ? value : null;
  const label = stringOf(attributes[SCORE_LABEL]);
  if (numeric === null && label === null) return null;
  return {
    projectId: call.projectId,
    id: `${source}:${call.traceId}:${call.spanId ?? ''}:${name}`,
    traceId: call.traceId,
    spanId: call.spanId,
    name,
    dataType: numeric === null ? 'categorical' : 'numeric',
    numericValue: numeric,
    categoricalValue: numeric === null ? label : null,
    source,
    comment: stringOf(attributes[EXPLANATION]),
    timestampUnixMs: Number(timeUnixNano / 1_000_000n),
  };
}

function stringOf(value: AttributeValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * OpenInference flattens annotations into `annotations.N.annotation.*` and
 * `evaluations.N.evaluation.*`, on the span or with a `trace.` prefix for the whole
 * trace. Session-scoped ones have no call to belong to and are skipped.
 */
const ANNOTATION_KEY =
  /^(trace\.)?(annotations|evaluations)\.(\d+)\.(?:annotation|evaluation)\.(name|score|label|explanation)$/;

/** The source of scores read from OpenInference annotations. */
export const ANNOTATION_SOURCE = 'openinference';

function annotationScores(span: CanonicalSpan): ScoreRecord[] {
  const slots = new Map<string, { traceScope: boolean; fields: Attributes }>();
  for (const [key, value] of Object.entries(span.attributes)) {
    const match = ANNOTATION_KEY.exec(key);
    if (match === null) continue;
    const [, tracePrefix, family, index, field] = match;
    const slotKey = `${tracePrefix ?? ''}${family}.${index}`;
    const slot = slots.get(slotKey) ?? { traceScope: tracePrefix !== undefined, fields: {} };
    slot.fields[field as string] = value;
    slots.set(slotKey, slot);
  }
  const scores: ScoreRecord[] = [];
  for (const slot of slots.values()) {
    const spanId = slot.traceScope ? null : span.spanId;
    const call = { projectId: span.projectId, traceId: span.traceId, spanId };
    const attributes: Attributes = {
      [NAME]: slot.fields.name ?? null,
      [SCORE_VALUE]: slot.fields.score ?? null,
      [SCORE_LABEL]: slot.fields.label ?? null,
      [EXPLANATION]: slot.fields.explanation ?? null,
    };
    const score = toScore(attributes, call, span.endTimeUnixNano, ANNOTATION_SOURCE);
    if (score !== null) scores.push(score);
  }
  return scores;
}
