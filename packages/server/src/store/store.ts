import type { ErasureLogEntry, ErasureRequest } from '../erasure/erasure-types.ts';
import type { StoredLogRecord } from '../logs/log-record.ts';
import type { RetentionCounts, RetentionCutoffs } from '../retention/retention-types.ts';
import type { SeriesState } from '../metrics/cumulative-to-delta.ts';
import type { MetricPoint } from '../metrics/metric-point.ts';
import type { CanonicalSpan, SpanCost } from '../semconv/canonical-span.ts';

/** Dimensions the LLM queries can group by. */
export const GROUP_BY_VALUES = [
  'model',
  'responseModel',
  'provider',
  'tenant',
  'feature',
  'service',
  'operation',
  'errorType',
  'registeredModel',
] as const;
export type GroupBy = (typeof GROUP_BY_VALUES)[number];

/** Equality filters shared by every dashboard query. */
export const FILTER_NAMES = [
  'service',
  'environment',
  'model',
  'provider',
  'tenant',
  'feature',
  'registeredModel',
] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export type Filters = Partial<Record<FilterName, string>>;

export interface TimeWindow {
  fromUnixMs: number;
  toUnixMs: number;
}

/** A time window of one project's data. */
export interface ProjectWindow extends TimeWindow {
  /** The project whose rows the query reads or changes; no other project's rows are touched. */
  projectId: string;
}

export interface LlmQuery extends ProjectWindow {
  filters: Filters;
}

export interface TokenTotals {
  input: number;
  output: number;
  cachedInput: number;
  cacheWrite: number;
  reasoning: number;
}

export interface LlmAggregate {
  requests: number;
  errors: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  tokens: TokenTotals;
  /** Sum over priced calls; null when no call in the group has a price. */
  costUsd: number | null;
  unpricedRequests: number;
}

export interface SummaryGroup extends LlmAggregate {
  key: string | null;
}

export interface TimeseriesPoint extends LlmAggregate {
  /** Bucket start, Unix milliseconds. */
  t: number;
}

export interface TimeseriesSeries {
  key: string | null;
  points: TimeseriesPoint[];
}

export interface Dimensions {
  services: string[];
  environments: string[];
  models: string[];
  providers: string[];
  tenants: string[];
  features: string[];
  /** Registered model versions as `<name>/<version>`. */
  registeredModels: string[];
}

export interface TraceListItem {
  traceId: string;
  rootName: string | null;
  serviceName: string | null;
  startTimeUnixMs: number;
  durationMs: number;
  spanCount: number;
  llmCallCount: number;
  errorCount: number;
  /** Cost of the trace's priced LLM calls; null when none is priced. */
  costUsd: number | null;
  /** Tokens of the trace's LLM calls; agent and workflow spans that repeat them do not count. */
  inputTokens: number;
  outputTokens: number;
}

export type TraceStatusFilter = 'ok' | 'error';

/**
 * A trace search. A trace matches when one of its spans in the window passes the filters
 * and contains `text` in its name or attributes; status and minimum duration apply to the
 * whole trace.
 */
export interface TraceSearch extends LlmQuery {
  /** `error`: at least one failed span; `ok`: none. */
  status: TraceStatusFilter | null;
  minDurationMs: number | null;
  /** Case-insensitive substring of a span name or of its attributes as JSON. */
  text: string | null;
  limit: number;
}

/** Average calls in flight per bucket, and where the numbers came from. */
export interface InflightSeries {
  source: 'metric' | 'spans';
  points: { t: number; inflight: number }[];
}

/** Time to first token of streaming calls per bucket, for one group. */
export interface TtftSeries {
  key: string | null;
  points: { t: number; requests: number; p50: number | null; p95: number | null }[];
}

/** The fields of a stored LLM call that re-pricing reads. */
export type RepriceSpan = Pick<
  CanonicalSpan,
  | 'traceId'
  | 'spanId'
  | 'isLlmCall'
  | 'provider'
  | 'model'
  | 'responseModel'
  | 'startTimeUnixNano'
  | 'usage'
  | 'attributes'
  | 'cost'
>;

/** A saved cumulative state of one metric series of one project. */
export interface ProjectSeriesState {
  projectId: string;
  seriesKey: string;
  state: SeriesState;
}

/** The contents of an ingest log outside its loading path: set-aside batches and damaged segment copies. */
export interface SetAsideSummary {
  rejected: { seq: number; spans: number; bytes: number }[];
  damaged: { path: string; bytes: number; copiedAtUnixMs: number }[];
}

/**
 * The storage backend. Every write and query goes through it, so no SQL leaves the backend.
 * Every row belongs to one project: writes stamp it (spans carry `projectId`), reads and
 * changes filter on it. Only the operator-wide methods (counts, rollup rebuilds, retention)
 * span all projects, and they say so.
 */
export interface Store {
  /** Resolves once the spans are committed; each span is stored under its own `projectId`. */
  writeSpans(spans: readonly CanonicalSpan[]): Promise<void>;
  /**
   * Returns why no write can succeed until the process restarts, or null while writes can
   * succeed. `/healthz` then responds 503 with the reason, so a supervisor restarts the server.
   */
  writeBlocker?(): string | null;
  /**
   * Returns why acknowledged spans wait to become queryable while writes still succeed, such
   * as DuckDB at its memory limit, or null. `/healthz` then reports `degraded` with the reason.
   */
  loadStall?(): string | null;
  /**
   * Operator-wide, with an ingest log only: the batches that the span loader set aside after
   * failed loads, and the copies of damaged log segments.
   */
  setAsideSummary?(): SetAsideSummary;
  /** Operator-wide, with an ingest log only: writes the set-aside batches to the log again. */
  retrySetAside?(): Promise<{ batches: number; spans: number }>;
  summary(query: LlmQuery, groupBy: GroupBy): Promise<SummaryGroup[]>;
  timeseries(query: LlmQuery, groupBy: GroupBy | null, stepMs: number): Promise<TimeseriesSeries[]>;
  dimensions(window: ProjectWindow): Promise<Dimensions>;
  listTraces(search: TraceSearch): Promise<TraceListItem[]>;
  /** The spans of one trace of the project; empty when the trace belongs to another project. */
  getTrace(projectId: string, traceId: string): Promise<CanonicalSpan[]>;
  /** Spans stored across all projects. */
  countSpans(): Promise<number>;
  /** Average concurrent LLM calls per bucket, computed from span start and end times. */
  inflightFromSpans(query: LlmQuery, stepMs: number): Promise<InflightSeries['points']>;
  /** Time to first token p50 and p95 per bucket of calls that report it. */
  timeToFirstToken(query: LlmQuery, groupBy: GroupBy | null, stepMs: number): Promise<TtftSeries[]>;
  /**
   * Recomputes the per-minute rollups of the window, of every project, from the spans
   * table. Anything that changes stored LLM spans outside ingest (re-pricing, deletion)
   * calls it afterwards.
   */
  rebuildRollups(window: TimeWindow): Promise<void>;
  /**
   * Passes each stored LLM call of the project in the window to `reprice` and stores the
   * cost it returns (null keeps the stored cost), then rebuilds the window's rollups.
   */
  repriceSpans(
    window: ProjectWindow,
    reprice: (span: RepriceSpan) => SpanCost | null,
  ): Promise<void>;
  /**
   * Stores metric points of one project and the cumulative state of the series they
   * touched (keyed by series key within the project), atomically.
   */
  writeMetricPoints(
    projectId: string,
    points: readonly MetricPoint[],
    states: readonly [string, SeriesState][],
  ): Promise<void>;
  /** The saved cumulative states of every project, for restoring them after a restart. */
  loadSeriesStates(): Promise<ProjectSeriesState[]>;
  metricPoints(
    window: ProjectWindow,
    metricNames: readonly string[],
    filters: Filters,
  ): Promise<MetricPoint[]>;
  /** Metric points stored across all projects. */
  countMetricPoints(): Promise<number>;
  writeLogRecords(projectId: string, records: readonly StoredLogRecord[]): Promise<void>;
  /** Log records of one trace of the project, GenAI events among them, by time. */
  traceLogs(projectId: string, traceId: string): Promise<StoredLogRecord[]>;
  /**
   * Deletes spans, log records, metric points and scores of every project older than
   * their cutoffs, blanks the content of older spans and log bodies, then checkpoints
   * so that the freed blocks can be reused. Returns the rows changed per table.
   */
  applyRetention(cutoffs: RetentionCutoffs): Promise<RetentionCounts>;
  /**
   * Deletes, within `request.projectId` only, every trace with a span of the user, the
   * log records and scores of those traces, and log records and metric points whose
   * user-id attributes match. Then records the erasure in the erasure log and checkpoints.
   */
  eraseUser(request: ErasureRequest): Promise<ErasureLogEntry>;
  close(): Promise<void>;
}
