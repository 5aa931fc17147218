import { formatDurationMs } from '../panels/duration.ts';
import type { SeriesDimension } from '../panels/metric-catalog.ts';
import type { SeriesExpression } from '../panels/series-expression.ts';
import { LLM_LABELS as L, LLM_METRIC_NAMES as N } from './llm-metric-names.ts';
import { lookupTable } from '../lookup-table.ts';

/** Prometheus label of each Foghorn dimension and span filter. */
export const PROMETHEUS_LABEL_OF: Readonly<Record<string, string>> = lookupTable({
  project: L.project,
  model: L.model,
  tenant: L.tenant,
  feature: L.feature,
  service: L.service,
  provider: L.provider,
  error_type: L.errorType,
});

/** Labels each exported metric carries; a query grouping or filtering by another label cannot be expressed. */
const LABELS_OF: Readonly<Record<string, readonly string[]>> = lookupTable({
  [N.requests]: [L.project, L.service, L.provider, L.model, L.tenant, L.feature],
  [N.tokens]: [L.project, L.service, L.provider, L.model, L.tenant, L.feature, L.tokenType],
  [N.cost]: [L.project, L.service, L.provider, L.model, L.tenant, L.feature],
  [N.errors]: [L.project, L.service, L.provider, L.model, L.errorType],
  [N.unpricedRequests]: [L.project, L.service, L.provider, L.model],
  [N.duration]: [L.project, L.service, L.provider, L.model],
  [N.timeToFirstToken]: [L.project, L.service, L.provider, L.model],
});

/** A series expression that PromQL over the exported metrics cannot express, with the reason. */
export class NotExpressibleError extends Error {
  override name = 'NotExpressibleError';
}

/** The parts of a query shared by every metric: grouping, matchers and range. */
export interface QueryShape {
  by: string | null;
  matchers: Record<string, string>;
  range: string;
  /** PromQL `offset` of the range, such as `1h`; null for none. */
  offset: string | null;
}

function shapeOf(
  expression: SeriesExpression,
  windowMs: number,
  projectId: string | null,
): QueryShape {
  const matchers: Record<string, string> = {};
  if (projectId !== null) matchers[L.project] = projectId;
  for (const [name, value] of Object.entries(expression.matchers)) {
    if (name === 'threshold_ms' || name === 'error_type') continue;
    const label = PROMETHEUS_LABEL_OF[name];
    if (label === undefined)
      throw new NotExpressibleError(`the exported metrics have no ${name} label`);
    matchers[label] = value;
  }
  const by = expression.by === null ? null : labelOf(expression.by);
  return { by, matchers, range: formatDurationMs(windowMs), offset: null };
}

function labelOf(dimension: SeriesDimension): string {
  return PROMETHEUS_LABEL_OF[dimension]!;
}

/** A selector of `family + suffix` (such as `_bucket`) over the range of `shape`; `=~` in a value makes a regex matcher. */
function selector(
  family: string,
  shape: QueryShape,
  extra: Record<string, string> = {},
  suffix = '',
): string {
  const labels = LABELS_OF[family] ?? [];
  for (const name of [shape.by, ...Object.keys(shape.matchers)]) {
    if (name !== null && !labels.includes(name))
      throw new NotExpressibleError(
        `${family} has no ${name} label, to keep its cardinality bounded`,
      );
  }
  const pairs = Object.entries({ ...shape.matchers, ...extra }).map(([name, value]) =>
    value.startsWith('=~')
      ? `${name}=~"${value.slice(2)}"`
      : `${name}="${value.replace(/["\\]/g, '\\$&')}"`,
  );
  const offset = shape.offset === null ? '' : ` offset ${shape.offset}`;
  return `${family}${suffix}${pairs.length === 0 ? '' : `{${pairs.join(',')}}`}[${shape.range}]${offset}`;
}

function sumBy(shape: QueryShape, extraLabels: string[] = []): string {
  const labels = [...(shape.by === null ? [] : [shape.by]), ...extraLabels];
  return labels.length === 0 ? 'sum' : `sum by (${labels.join(', ')})`;
}

/** Sums `rate()` of a counter per group. */
export function sumRate(
  metric: string,
  shape: QueryShape,
  extra: Record<string, string> = {},
): string {
  return `${sumBy(shape)} (rate(${selector(metric, shape, extra)}))`;
}

/** Sums `increase()` of a counter per group. */
export function sumIncrease(
  metric: string,
  shape: QueryShape,
  extra: Record<string, string> = {},
): string {
  return `${sumBy(shape)} (increase(${selector(metric, shape, extra)}))`;
}

function quantileMs(family: string, quantile: number, shape: QueryShape): string {
  const buckets = `${sumBy(shape, ['le'])} (rate(${selector(family, shape, {}, '_bucket')}))`;
  return `histogram_quantile(${quantile}, ${buckets}) * 1000`;
}

/**
 * Matches the `le` label of one bound, written `8` by Prometheus 2 and `8.0` by
 * Prometheus 3, which normalizes bounds to float form.
 */
function leMatcher(boundSeconds: number): string {
  const text = String(boundSeconds).replace('.', '\\\\.');
  return Number.isInteger(boundSeconds) ? `=~${text}|${text}\\\\.0` : `=~${text}`;
}

/** Share of calls slower than `thresholdMs`, from the bucket at that bound, which the histogram always has. */
function slowRatio(shape: QueryShape, thresholdMs: number): string {
  const within = `${sumBy(shape)} (rate(${selector(N.duration, shape, { le: leMatcher(thresholdMs / 1000) }, '_bucket')}))`;
  const all = `${sumBy(shape)} (rate(${selector(N.duration, shape, {}, '_count')}))`;
  return `1 - ${within} / ${all}`;
}

function errorRatio(shape: QueryShape, errorType: string | undefined): string {
  if (shape.by === L.errorType) {
    const total = sumRate(N.requests, { ...shape, by: null });
    return `${sumRate(N.errors, shape)} / ignoring (${L.errorType}) group_left ${total}`;
  }
  const errors = sumRate(
    N.errors,
    shape,
    errorType === undefined ? {} : { [L.errorType]: errorType },
  );
  return `${errors} / ${sumRate(N.requests, shape)}`;
}

export interface PromQlOptions {
  /** Shifts the window back by this many milliseconds; default 0. */
  offsetMs?: number;
  /** Reads only the series of this project (its `project` label); default every project. */
  projectId?: string | null;
}

/**
 * Builds the PromQL of a series expression over the `/metrics` series for the
 * window `windowMs`; throws NotExpressibleError with the reason when the
 * exported series cannot answer it.
 */
export function buildPromQl(
  expression: SeriesExpression,
  windowMs: number,
  options: PromQlOptions = {},
): string {
  const offsetMs = options.offsetMs ?? 0;
  if (expression.metric.startsWith('quality_'))
    throw new NotExpressibleError(
      `${expression.metric} comes from quality scores, which Foghorn does not export as metrics`,
    );
  const shape = shapeOf(expression, windowMs, options.projectId ?? null);
  if (offsetMs > 0) shape.offset = formatDurationMs(offsetMs);
  switch (expression.metric) {
    case 'requests':
      return sumIncrease(N.requests, shape);
    case 'request_rate_per_min':
      return `${sumRate(N.requests, shape)} * 60`;
    case 'error_ratio':
      return errorRatio(shape, expression.matchers.error_type);
    case 'latency_p50_ms':
      return quantileMs(N.duration, 0.5, shape);
    case 'latency_p95_ms':
      return quantileMs(N.duration, 0.95, shape);
    case 'latency_p99_ms':
      return quantileMs(N.duration, 0.99, shape);
    case 'slow_ratio':
      return slowRatio(shape, Number(expression.matchers.threshold_ms));
    case 'tokens_per_hour':
      return `${sumRate(N.tokens, shape, { [L.tokenType]: '=~input|output' })} * 3600`;
    case 'cost_usd_per_hour':
      return `${sumRate(N.cost, shape)} * 3600`;
    case 'projected_monthly_cost_usd':
      return `${sumRate(N.cost, shape)} * 3600 * 720`;
    case 'unpriced_requests':
      return sumIncrease(N.unpricedRequests, shape);
    case 'ttft_p95_ms':
      return quantileMs(N.timeToFirstToken, 0.95, shape);
    case 'inflight_requests':
      return `${sumBy(shape)} (rate(${selector(N.duration, shape, {}, '_sum')}))`;
    default:
      throw new NotExpressibleError(`${expression.metric} has no PromQL translation`);
  }
}
