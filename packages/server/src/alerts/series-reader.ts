import { METRICS, type SeriesDimension } from '../panels/metric-catalog.ts';
import { formatSeriesExpression, type SeriesExpression } from '../panels/series-expression.ts';
import { costProjection } from '../query/cost.ts';
import type { ScoreStore } from '../scores/score-store.ts';
import {
  FILTER_NAMES,
  type Filters,
  type GroupBy,
  type LlmAggregate,
  type LlmQuery,
  type Store,
  type SummaryGroup,
} from '../store/store.ts';
import type {
  BadCallGroup,
  BadCallPredicate,
  SpanMetricGroup,
  SpanMetrics,
} from './alert-store.ts';
import { QueryMemo } from './query-memo.ts';

const MAX_CACHED_WINDOWS = 256;

/** One group's value of a series over a window, with the number of calls or scores behind it. */
export interface SeriesPoint {
  key: string | null;
  value: number;
  /** Calls (or scores, for quality metrics) in the window: the low-traffic guard compares against it. */
  count: number;
}

/** A window of one project's data. */
export interface ReadWindow {
  projectId: string;
  fromUnixMs: number;
  toUnixMs: number;
}

const HOUR_MS = 3_600_000;
/**
 * A time-series step longer than any stored time, so the store puts the whole
 * window into one bucket. 9e12 ms is about 285 years and stays inside a signed
 * 64-bit count of nanoseconds.
 */
const SINGLE_BUCKET_STEP_MS = 9_000_000_000_000;

const STORE_GROUP_BY: Readonly<Record<SeriesDimension, GroupBy>> = {
  model: 'model',
  tenant: 'tenant',
  feature: 'feature',
  service: 'service',
  provider: 'provider',
  error_type: 'errorType',
};

/** Computes series values from the span store, the span metrics and the score store. */
export class SeriesReader {
  constructor(
    private readonly store: Store,
    private readonly spanMetrics: SpanMetrics,
    private readonly scores: ScoreStore,
  ) {}

  private readonly cache = new Map<string, SeriesPoint[]>();
  private readonly memo = new QueryMemo();

  /** Starts an evaluation: store results of the previous one are dropped; returns its query counts. */
  beginEvaluation(): { queries: number; hits: number } {
    return this.memo.clear();
  }

  /** Start of the project's stored data; baselines do not reach before it. */
  dataStartMs(projectId: string): Promise<number | null> {
    return this.memo.run(['dataStart', projectId], () => this.spanMetrics.dataStartMs(projectId));
  }

  /**
   * Reads a window that ends in the past, such as a baseline, through a small
   * cache: such a window only changes when late data arrives, and callers align
   * it to round times so consecutive evaluations share it.
   */
  async readPast(expression: SeriesExpression, window: ReadWindow): Promise<SeriesPoint[]> {
    const key = `${window.projectId}|${formatSeriesExpression(expression)}|${window.fromUnixMs}|${window.toUnixMs}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const points = await this.read(expression, window);
    if (this.cache.size >= MAX_CACHED_WINDOWS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, points);
    return points;
  }

  /** Calls and bad calls of an `error_ratio` or `slow_ratio` expression in windows ending at `nowMs`. */
  badCallWindows(
    projectId: string,
    expression: SeriesExpression,
    nowMs: number,
    windowsMs: readonly number[],
  ): Promise<BadCallGroup[]> {
    const query = {
      projectId,
      fromUnixMs: nowMs - Math.max(...windowsMs),
      toUnixMs: nowMs,
      filters: filtersOf(expression),
      groupBy: expression.by === null ? null : STORE_GROUP_BY[expression.by],
    };
    const bad: BadCallPredicate =
      expression.metric === 'slow_ratio'
        ? { kind: 'slow', slowerThanMs: Number(expression.matchers.threshold_ms) }
        : { kind: 'error', errorType: expression.matchers.error_type ?? null };
    return this.memo.run(['badCalls', query, windowsMs, bad], () =>
      this.spanMetrics.badCallWindows(query, windowsMs, bad),
    );
  }

  async read(expression: SeriesExpression, window: ReadWindow): Promise<SeriesPoint[]> {
    const query: LlmQuery = { ...window, filters: filtersOf(expression) };
    const groupBy = expression.by === null ? null : STORE_GROUP_BY[expression.by];
    const source = METRICS[expression.metric]!.source;
    if (source === 'llm') return this.readLlm(expression, query, groupBy);
    if (source === 'scores') return this.readScores(expression, query, groupBy);
    const groups = await this.readSpanMetric(expression, { ...query, groupBy });
    return groups.flatMap((group) => spanMetricPoint(expression, group));
  }

  private async readLlm(
    expression: SeriesExpression,
    query: LlmQuery,
    groupBy: GroupBy | null,
  ): Promise<SeriesPoint[]> {
    if (expression.metric === 'error_ratio') return this.readErrorRatio(expression, query, groupBy);
    if (expression.metric === 'projected_monthly_cost_usd')
      return this.readProjection(query, groupBy);
    const windowHours = (query.toUnixMs - query.fromUnixMs) / HOUR_MS;
    const groups = await this.aggregates(query, groupBy);
    return groups.flatMap(({ key, aggregate }) => {
      const value = llmValue(expression.metric, aggregate, windowHours);
      return value === null ? [] : [{ key, value, count: aggregate.requests }];
    });
  }

  /**
   * Projects the calendar month with `costProjection`, the function behind
   * `/api/v1/llm/cost/projection`, at the window's end. The window's start is not
   * used. A group's count is its calls in the longer of the month-to-date and the
   * trailing window, because the shorter one lies inside it.
   */
  private async readProjection(query: LlmQuery, groupBy: GroupBy | null): Promise<SeriesPoint[]> {
    const summarySource = {
      summary: (summaryQuery: LlmQuery, summaryGroupBy: GroupBy) =>
        this.summary(summaryQuery, summaryGroupBy),
    };
    const projection = await costProjection(summarySource, {
      projectId: query.projectId,
      filters: query.filters,
      groupBy,
      nowMs: query.toUnixMs,
      budgetOf: () => null,
    });
    const groups = groupBy === null ? [projection.total] : projection.groups;
    return groups.map((group) => ({
      key: group.key,
      value: group.projectedMonthlyCostUsd,
      count: Math.max(group.monthToDateRequests, group.trailingRequests),
    }));
  }

  private async aggregates(
    query: LlmQuery,
    groupBy: GroupBy | null,
  ): Promise<{ key: string | null; aggregate: LlmAggregate }[]> {
    if (groupBy !== null) {
      return (await this.summary(query, groupBy)).map((group) => ({
        key: group.key,
        aggregate: group,
      }));
    }
    const series = await this.memo.run(['total', query], () =>
      this.store.timeseries(query, null, SINGLE_BUCKET_STEP_MS),
    );
    const point = series[0]?.points[0];
    return point === undefined ? [] : [{ key: null, aggregate: point }];
  }

  /** Error ratio overall, by error type, or of one error type (`error_type` matcher) by another dimension. */
  private async readErrorRatio(
    expression: SeriesExpression,
    query: LlmQuery,
    groupBy: GroupBy | null,
  ): Promise<SeriesPoint[]> {
    const errorType = expression.matchers.error_type;
    if (groupBy === 'errorType' || errorType !== undefined) {
      return this.readErrorTypeRatio(query, groupBy, errorType);
    }
    const groups = await this.aggregates(query, groupBy);
    return groups
      .filter(({ aggregate }) => aggregate.requests > 0)
      .map(({ key, aggregate }) => ({
        key,
        value: aggregate.errors / aggregate.requests,
        count: aggregate.requests,
      }));
  }

  private async readErrorTypeRatio(
    query: LlmQuery,
    groupBy: GroupBy | null,
    errorType: string | undefined,
  ): Promise<SeriesPoint[]> {
    if (groupBy === null || groupBy === 'errorType') {
      const byType = await this.summary(query, 'errorType');
      const total = byType.reduce((sum, group) => sum + group.requests, 0);
      if (total === 0) return [];
      const types = byType.filter(
        (group) => group.key !== null && (errorType === undefined || group.key === errorType),
      );
      if (groupBy === null) {
        const errors = types.reduce((sum, group) => sum + group.requests, 0);
        return [{ key: null, value: errors / total, count: total }];
      }
      return types.map((group) => ({
        key: group.key,
        value: group.requests / total,
        count: total,
      }));
    }
    return this.readErrorTypeByDimension(query, groupBy, errorType!);
  }

  /** One error class by another dimension: one query per group that has errors. */
  private async readErrorTypeByDimension(
    query: LlmQuery,
    groupBy: GroupBy,
    errorType: string,
  ): Promise<SeriesPoint[]> {
    const groups = await this.summary(query, groupBy);
    const points: SeriesPoint[] = [];
    for (const group of groups) {
      if (group.key === null || group.requests === 0) continue;
      let errors = 0;
      if (group.errors > 0) {
        const filters: Filters = { ...query.filters, [groupBy]: group.key };
        const byType = await this.summary({ ...query, filters }, 'errorType');
        errors = byType.find((entry) => entry.key === errorType)?.requests ?? 0;
      }
      points.push({ key: group.key, value: errors / group.requests, count: group.requests });
    }
    return points;
  }

  private summary(query: LlmQuery, groupBy: GroupBy): Promise<SummaryGroup[]> {
    return this.memo.run(['summary', query, groupBy], () => this.store.summary(query, groupBy));
  }

  private readSpanMetric(
    expression: SeriesExpression,
    query: LlmQuery & { groupBy: GroupBy | null },
  ): Promise<SpanMetricGroup[]> {
    const source = METRICS[expression.metric]!.source;
    const thresholdMs = Number(expression.matchers.threshold_ms);
    if (source === 'slow')
      return this.memo.run(['slow', query, thresholdMs], () =>
        this.spanMetrics.slowCalls(query, thresholdMs),
      );
    if (source === 'ttft')
      return this.memo.run(['ttft', query], () => this.spanMetrics.ttftQuantile(query, 0.95));
    return this.memo.run(['inflight', query], () => this.spanMetrics.inflight(query));
  }

  private async readScores(
    expression: SeriesExpression,
    query: LlmQuery,
    groupBy: GroupBy | null,
  ): Promise<SeriesPoint[]> {
    const name = expression.matchers.name ?? null;
    const scoreQuery = { ...query, name, groupBy };
    const groups = await this.memo.run(['scores', scoreQuery], () =>
      this.scores.summary(scoreQuery),
    );
    return groups.flatMap((group) => {
      if (expression.metric === 'quality_score_mean') {
        return group.mean === null
          ? []
          : [{ key: group.key, value: group.mean, count: group.count }];
      }
      const value = expression.matchers.value;
      const categoryCount =
        value === undefined
          ? group.count
          : Object.hasOwn(group.categories, value)
            ? group.categories[value]!
            : 0;
      const categorical = Object.values(group.categories).reduce((sum, count) => sum + count, 0);
      return categorical === 0
        ? []
        : [{ key: group.key, value: categoryCount / categorical, count: categorical }];
    });
  }
}

function filtersOf(expression: SeriesExpression): Filters {
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = expression.matchers[name];
    if (value !== undefined) filters[name] = value;
  }
  return filters;
}

function llmValue(metric: string, aggregate: LlmAggregate, windowHours: number): number | null {
  const tokens = aggregate.tokens.input + aggregate.tokens.output;
  const costUsd = aggregate.costUsd ?? 0;
  switch (metric) {
    case 'requests':
      return aggregate.requests;
    case 'request_rate_per_min':
      return aggregate.requests / (windowHours * 60);
    case 'latency_p50_ms':
      return aggregate.latencyMs.p50;
    case 'latency_p95_ms':
      return aggregate.latencyMs.p95;
    case 'latency_p99_ms':
      return aggregate.latencyMs.p99;
    case 'tokens_per_hour':
      return tokens / windowHours;
    case 'cost_usd_per_hour':
      return costUsd / windowHours;
    case 'unpriced_requests':
      return aggregate.unpricedRequests;
    default:
      return null;
  }
}

function spanMetricPoint(expression: SeriesExpression, group: SpanMetricGroup): SeriesPoint[] {
  if (group.value === null || group.requests === 0) return [];
  const value =
    METRICS[expression.metric]!.source === 'slow' ? group.value / group.requests : group.value;
  return [{ key: group.key, value, count: group.requests }];
}
