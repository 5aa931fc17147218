import type { GroupBy, LlmQuery } from '../store/store.ts';

export type ScoreDataType = 'numeric' | 'categorical';

/** One quality score attached to a trace or a span. */
export interface ScoreRecord {
  /** The project the score belongs to; ids are unique within a project. */
  projectId: string;
  id: string;
  traceId: string | null;
  spanId: string | null;
  name: string;
  dataType: ScoreDataType;
  numericValue: number | null;
  categoricalValue: string | null;
  source: string;
  comment: string | null;
  timestampUnixMs: number;
}

/**
 * A score query. The span filters (model, tenant, ...) apply to the LLM call the
 * score belongs to: the scored span, or the first LLM call of the scored trace.
 */
export interface ScoreQuery extends LlmQuery {
  name: string | null;
  groupBy: GroupBy | null;
}

/** Scores of one name and group: numeric statistics and categorical counts. */
export interface ScoreAggregate {
  key: string | null;
  name: string;
  count: number;
  mean: number | null;
  stddev: number | null;
  categories: Record<string, number>;
}

export interface ScoreSeries {
  key: string | null;
  name: string;
  points: (ScoreAggregate & { t: number })[];
}

export interface ScoreStore {
  /** Inserts scores; a score with an existing id in the same project replaces it. */
  upsert(scores: readonly ScoreRecord[]): Promise<void>;
  summary(query: ScoreQuery): Promise<ScoreAggregate[]>;
  timeseries(query: ScoreQuery, stepMs: number): Promise<ScoreSeries[]>;
}
