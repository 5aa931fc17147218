import { describe, expect, it } from 'vitest';
import type { StoredLogRecord } from '../../src/logs/log-record.ts';
import {
  EVALUATION_EVENT,
  scoresFromLogRecords,
  scoresFromSpans,
} from '../../src/scores/evaluation-events.ts';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const EVENT_TIME_NANO = 1_767_225_600_123_000_000n;

function spanWithEvents(events: CanonicalSpan['events']): CanonicalSpan {
  return {
    projectId: 'alpha',
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    endTimeUnixNano: EVENT_TIME_NANO,
    attributes: {},
    events,
  } as unknown as CanonicalSpan;
}

function logRecord(overrides: Partial<StoredLogRecord>): StoredLogRecord {
  return {
    timeUnixNano: EVENT_TIME_NANO,
    observedTimeUnixNano: EVENT_TIME_NANO,
    severityNumber: 9,
    severityText: 'INFO',
    body: null,
    attributes: {},
    resourceAttributes: {},
    serviceName: 'judge',
    scopeName: 'evals',
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    eventName: EVALUATION_EVENT,
    ...overrides,
  };
}

describe('scores from evaluation span events', () => {
  it('reads a numeric score, a label and an explanation', () => {
    const scores = scoresFromSpans([
      spanWithEvents([
        {
          name: EVALUATION_EVENT,
          timeUnixNano: EVENT_TIME_NANO,
          attributes: {
            'gen_ai.evaluation.name': 'helpfulness',
            'gen_ai.evaluation.score.value': 0.735,
            'gen_ai.evaluation.score.label': 'good',
            'gen_ai.evaluation.explanation': 'answers the question',
          },
        },
        {
          name: EVALUATION_EVENT,
          timeUnixNano: EVENT_TIME_NANO,
          attributes: {
            'gen_ai.evaluation.name': 'verdict',
            'gen_ai.evaluation.score.label': 'bad',
          },
        },
        { name: 'gen_ai.choice', timeUnixNano: EVENT_TIME_NANO, attributes: {} },
      ]),
    ]);
    expect(scores).toEqual([
      {
        projectId: 'alpha',
        id: `otel-event:${TRACE_ID}:${SPAN_ID}:helpfulness`,
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        name: 'helpfulness',
        dataType: 'numeric',
        numericValue: 0.735,
        categoricalValue: null,
        source: 'otel-event',
        comment: 'answers the question',
        timestampUnixMs: 1_767_225_600_123,
      },
      {
        projectId: 'alpha',
        id: `otel-event:${TRACE_ID}:${SPAN_ID}:verdict`,
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        name: 'verdict',
        dataType: 'categorical',
        numericValue: null,
        categoricalValue: 'bad',
        source: 'otel-event',
        comment: null,
        timestampUnixMs: 1_767_225_600_123,
      },
    ]);
  });

  it('skips events without a name or without any value', () => {
    const scores = scoresFromSpans([
      spanWithEvents([
        {
          name: EVALUATION_EVENT,
          timeUnixNano: EVENT_TIME_NANO,
          attributes: { 'gen_ai.evaluation.score.value': 1 },
        },
        {
          name: EVALUATION_EVENT,
          timeUnixNano: EVENT_TIME_NANO,
          attributes: { 'gen_ai.evaluation.name': 'relevance' },
        },
        {
          name: EVALUATION_EVENT,
          timeUnixNano: EVENT_TIME_NANO,
          attributes: {
            'gen_ai.evaluation.name': 'relevance',
            'gen_ai.evaluation.score.value': '0.9',
          },
        },
      ]),
    ]);
    expect(scores).toEqual([]);
  });
});

describe('scores from OpenInference annotations', () => {
  it('reads span and trace annotations and skips session ones', () => {
    const span = {
      ...spanWithEvents([]),
      attributes: {
        'annotations.0.annotation.name': 'correctness',
        'annotations.0.annotation.score': 1,
        'annotations.0.annotation.label': 'correct',
        'annotations.0.annotation.annotator_kind': 'LLM',
        'evaluations.1.evaluation.name': 'hallucination',
        'evaluations.1.evaluation.label': 'factual',
        'trace.annotations.0.annotation.name': 'user_feedback',
        'trace.annotations.0.annotation.score': -1,
        'session.annotations.0.annotation.name': 'csat',
        'session.annotations.0.annotation.score': 5,
      },
    } as CanonicalSpan;
    const scores = scoresFromSpans([span]);
    expect(
      scores.map((score) => [
        score.id,
        score.spanId,
        score.name,
        score.numericValue,
        score.categoricalValue,
        score.source,
      ]),
    ).toEqual([
      [
        `openinference:${TRACE_ID}:${SPAN_ID}:correctness`,
        SPAN_ID,
        'correctness',
        1,
        null,
        'openinference',
      ],
      [
        `openinference:${TRACE_ID}:${SPAN_ID}:hallucination`,
        SPAN_ID,
        'hallucination',
        null,
        'factual',
        'openinference',
      ],
      [
        `openinference:${TRACE_ID}::user_feedback`,
        null,
        'user_feedback',
        -1,
        null,
        'openinference',
      ],
    ]);
  });
});

describe('scores from evaluation log records', () => {
  it('ties a record to its span and project', () => {
    const scores = scoresFromLogRecords(
      [
        logRecord({
          attributes: {
            'gen_ai.evaluation.name': 'faithfulness',
            'gen_ai.evaluation.score.value': 0,
          },
        }),
        logRecord({ eventName: 'gen_ai.user.message' }),
      ],
      'beta',
    );
    expect(scores.map((score) => [score.projectId, score.name, score.numericValue])).toEqual([
      ['beta', 'faithfulness', 0],
    ]);
  });

  it('scores trace-level records, skips orphans', () => {
    const scores = scoresFromLogRecords(
      [
        logRecord({
          spanId: '',
          attributes: { 'gen_ai.evaluation.name': 'tone', 'gen_ai.evaluation.score.label': 'rude' },
        }),
        logRecord({
          traceId: '',
          spanId: '',
          attributes: { 'gen_ai.evaluation.name': 'tone', 'gen_ai.evaluation.score.label': 'kind' },
        }),
      ],
      'default',
    );
    expect(scores.map((score) => [score.id, score.spanId, score.categoricalValue])).toEqual([
      [`otel-event:${TRACE_ID}::tone`, null, 'rude'],
    ]);
  });
});
