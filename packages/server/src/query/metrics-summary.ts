import { errorTypeFromName } from '../enrich/error-type.ts';
import { activePriceBook, appliedPrices, computeCostParts } from '../enrich/pricing.ts';
import { unixNanoFromMs } from '../ingest/timestamps.ts';
import {
  DURATION_METRICS,
  ERROR_METRICS,
  SINGLE_TYPE_TOKEN_METRICS,
  TYPED_TOKEN_METRICS,
  millisecondsPerUnit,
  tokenKindOf,
  type TokenKind,
} from '../metrics/genai-metric-names.ts';
import {
  exponentialToExplicit,
  histogramQuantile,
  isCoarse,
  mergeInto,
  type MergedHistogram,
} from '../metrics/histogram-quantile.ts';
import type { MetricPoint } from '../metrics/metric-point.ts';
import type { GroupBy, LlmQuery, Store, SummaryGroup, TokenTotals } from '../store/store.ts';

/** A summary group computed from metrics, with the latency buckets it was interpolated from. */
export interface MetricsSummaryGroup extends SummaryGroup {
  latencyBucketBoundsMs: number[];
  /** True when the buckets are too wide for the percentiles to mean much. */
  coarseLatencyBuckets: boolean;
}

const ALL_METRICS = [
  ...DURATION_METRICS,
  ...TYPED_TOKEN_METRICS,
  ...Object.keys(SINGLE_TYPE_TOKEN_METRICS),
  ...ERROR_METRICS,
];

function groupKey(point: MetricPoint, groupBy: GroupBy): string | null {
  switch (groupBy) {
    case 'model':
    case 'responseModel':
      return point.model;
    case 'provider':
      return point.provider;
    case 'tenant':
      return point.tenant;
    case 'feature':
      return point.feature;
    case 'service':
      return point.serviceName;
    case 'errorType':
      return point.errorType === null ? null : errorTypeFromName(point.errorType);
    case 'operation':
      return typeof point.attributes['gen_ai.operation.name'] === 'string'
        ? point.attributes['gen_ai.operation.name']
        : null;
    case 'registeredModel':
      // GenAI metrics carry no registered model, so every point falls in the null group.
      return null;
  }
}

interface Accumulator {
  key: string | null;
  /** Calls counted by the duration histogram. */
  requests: number;
  /** Duration points that carry an error type. */
  durationErrors: number;
  /** Increments of the error counter. */
  counterErrors: number;
  tokens: TokenTotals;
  latency: MergedHistogram | null;
  /** Tokens per model, for pricing. */
  tokensByModel: Map<string | null, TokenTotals>;
  requestsByModel: Map<string | null, number>;
}

function emptyTokens(): TokenTotals {
  return { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0 };
}

function accumulatorFor(groups: Map<string | null, Accumulator>, key: string | null): Accumulator {
  let group = groups.get(key);
  if (!group) {
    group = {
      key,
      requests: 0,
      durationErrors: 0,
      counterErrors: 0,
      tokens: emptyTokens(),
      latency: null,
      tokensByModel: new Map(),
      requestsByModel: new Map(),
    };
    groups.set(key, group);
  }
  return group;
}

function pointTotal(point: MetricPoint): number {
  if (point.kind === 'sum') return point.deltaValue ?? 0;
  return point.deltaSum ?? 0;
}

function addDuration(group: Accumulator, point: MetricPoint): void {
  const count = point.deltaCount ?? 0;
  group.requests += count;
  group.requestsByModel.set(point.model, (group.requestsByModel.get(point.model) ?? 0) + count);
  if (point.errorType !== null) group.durationErrors += count;
  const factor = millisecondsPerUnit(point.unit);
  const explicit =
    point.kind === 'exponential_histogram' && point.exponential !== null
      ? exponentialToExplicit(point.exponential)
      : { bounds: point.explicitBounds, counts: point.deltaBucketCounts };
  if (explicit.counts.length === 0) return;
  const merged = mergeInto(
    group.latency,
    explicit.bounds.map((bound) => bound * factor),
    explicit.counts,
    point.min === null ? null : point.min * factor,
    point.max === null ? null : point.max * factor,
  );
  if (merged !== null) group.latency = merged;
}

function addTokens(
  group: Accumulator,
  kind: TokenKind,
  amount: number,
  model: string | null,
): void {
  group.tokens[kind] += amount;
  let byModel = group.tokensByModel.get(model);
  if (!byModel) {
    byModel = emptyTokens();
    group.tokensByModel.set(model, byModel);
  }
  byModel[kind] += amount;
}

/**
 * Prices the tokens of each model with the active price book, overrides
 * included, and the same cost formula as spans. Models without a price count
 * as unpriced requests.
 */
function priceGroup(
  group: Accumulator,
  atUnixNano: bigint,
): { costUsd: number | null; unpricedRequests: number } {
  const book = activePriceBook();
  let costUsd: number | null = null;
  let unpricedRequests = 0;
  for (const [model, requests] of group.requestsByModel) {
    const resolved = model === null ? null : book.resolve(model, null, atUnixNano);
    if (resolved === null) {
      unpricedRequests += requests;
      continue;
    }
    const tokens = group.tokensByModel.get(model) ?? emptyTokens();
    const usage = {
      inputTokens: tokens.input,
      outputTokens: tokens.output,
      cachedInputTokens: tokens.cachedInput,
      cacheWriteTokens: tokens.cacheWrite,
      reasoningTokens: tokens.reasoning,
    };
    const parts = computeCostParts(usage, appliedPrices(resolved.period, usage));
    costUsd = (costUsd ?? 0) + parts.totalUsd;
  }
  return { costUsd, unpricedRequests };
}

/**
 * Computes the LLM summary from OTLP metrics, for applications that send
 * metrics but no spans. Requests and latency come from the duration histogram,
 * tokens from the token metrics, errors from the error counter or the duration
 * points that carry an error type. Percentiles are interpolated from the
 * buckets, and each group reports the bucket bounds it used.
 */
export async function metricsSummary(
  store: Store,
  query: LlmQuery,
  groupBy: GroupBy,
): Promise<MetricsSummaryGroup[]> {
  // No metric point has a registered model, so none matches a filter on one.
  if (query.filters.registeredModel !== undefined) return [];
  const points = await store.metricPoints(query, ALL_METRICS, query.filters);
  const groups = new Map<string | null, Accumulator>();
  let durationsCarryErrors = false;
  for (const point of points) {
    const group = accumulatorFor(groups, groupKey(point, groupBy));
    if ((DURATION_METRICS as readonly string[]).includes(point.metricName)) {
      addDuration(group, point);
      if (point.errorType !== null) durationsCarryErrors = true;
    } else if ((ERROR_METRICS as readonly string[]).includes(point.metricName)) {
      group.counterErrors += point.deltaValue ?? 0;
    } else if (point.metricName in SINGLE_TYPE_TOKEN_METRICS) {
      addTokens(
        group,
        SINGLE_TYPE_TOKEN_METRICS[point.metricName]!,
        pointTotal(point),
        point.model,
      );
    } else {
      const kind = tokenKindOf(point.tokenType);
      if (kind !== null) addTokens(group, kind, pointTotal(point), point.model);
    }
  }
  const atUnixNano = unixNanoFromMs(query.toUnixMs);
  return [...groups.values()]
    .filter(
      (group) =>
        group.requests > 0 ||
        group.tokens.input + group.tokens.output > 0 ||
        group.counterErrors + group.durationErrors > 0,
    )
    .map((group) => toSummaryGroup(group, durationsCarryErrors, atUnixNano))
    .sort((a, b) => b.requests - a.requests);
}

/**
 * When duration points carry `error.type` (the OTel GenAI convention), failed
 * calls are in the histogram already. Otherwise the app recorded durations for
 * successful calls only (as the OTel metrics examples do), so the error
 * counter's failures are added to the requests.
 */
function toSummaryGroup(
  group: Accumulator,
  durationsCarryErrors: boolean,
  atUnixNano: bigint,
): MetricsSummaryGroup {
  const latency = group.latency;
  const quantile = (q: number): number | null =>
    latency === null ? null : histogramQuantile(q, latency);
  const tokens = { ...group.tokens };
  // Canonical input includes cached input and output includes reasoning, as for spans.
  tokens.input = Math.max(tokens.input, tokens.cachedInput + tokens.cacheWrite);
  tokens.output = Math.max(tokens.output, tokens.reasoning);
  return {
    key: group.key,
    requests: durationsCarryErrors ? group.requests : group.requests + group.counterErrors,
    errors: durationsCarryErrors ? group.durationErrors : group.counterErrors,
    latencyMs: { p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) },
    tokens,
    ...priceGroup(group, atUnixNano),
    latencyBucketBoundsMs: latency?.bounds ?? [],
    coarseLatencyBuckets: latency === null ? false : isCoarse(latency),
  };
}
