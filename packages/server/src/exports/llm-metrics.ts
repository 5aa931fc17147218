import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { renderExposition } from './exposition.ts';
import { LabelLimiter } from './label-limiter.ts';
import { durationBoundsSeconds, ttftBoundsSeconds } from './latency-buckets.ts';
import { LLM_LABELS as L, LLM_METRIC_NAMES as N } from './llm-metric-names.ts';
import { HistogramFamily, ValueFamily, type SeriesLabels } from './metric-family.ts';

export interface LlmMetricsOptions {
  /** Tenants and features that get their own label value; the rest count as `other`. Default 20. */
  maxLabelValues?: number;
  /** Bucket bounds of the duration histogram in seconds; default the GenAI bounds plus the alarm thresholds. */
  durationBoundsSeconds?: readonly number[];
  now?: () => number;
}

/** How far behind the scrape time the active-requests gauge looks, because spans arrive after they end. */
const ACTIVE_LAG_MS = 60_000;
const MAX_TRACKED_INTERVALS = 100_000;
const MAX_RECENT_SPAN_IDS = 100_000;
const NANOS_PER_MS = 1_000_000n;

interface CallInterval {
  labels: SeriesLabels;
  startMs: number;
  endMs: number;
}

/**
 * The Prometheus metrics derived from committed LLM call spans: request duration
 * and time-to-first-token histograms, request, error, token and cost counters, and
 * active requests. Each span counts once, however often it is sent.
 */
export class LlmMetrics {
  private readonly duration: HistogramFamily;
  private readonly ttft: HistogramFamily;
  private readonly requests = new ValueFamily(
    N.requests,
    'counter',
    'LLM calls by service, provider, model, tenant and feature.',
  );
  private readonly errors = new ValueFamily(N.errors, 'counter', 'Failed LLM calls by error type.');
  private readonly tokens = new ValueFamily(
    N.tokens,
    'counter',
    'Tokens of LLM calls; input includes cached input and cache writes, output includes reasoning.',
  );
  private readonly tokenDetails = new ValueFamily(
    N.tokenDetails,
    'counter',
    'Parts of the input and output tokens: cached_input, cache_write and reasoning.',
  );
  private readonly cost = new ValueFamily(N.cost, 'counter', 'Cost of priced LLM calls in USD.');
  private readonly unpriced = new ValueFamily(
    N.unpricedRequests,
    'counter',
    'LLM calls whose model has no price.',
  );
  private readonly active = new ValueFamily(
    N.activeRequests,
    'gauge',
    'LLM calls that were running one minute before the scrape, from span start and end times.',
  );
  private readonly tenants: LabelLimiter;
  private readonly features: LabelLimiter;
  private intervals: CallInterval[] = [];
  private readonly recentSpanIds = new Set<string>();
  private readonly now: () => number;

  constructor(options: LlmMetricsOptions = {}) {
    const maxValues = options.maxLabelValues ?? 20;
    this.now = options.now ?? Date.now;
    this.duration = new HistogramFamily(
      N.duration,
      'Duration of LLM calls in seconds.',
      options.durationBoundsSeconds ?? durationBoundsSeconds(),
    );
    this.ttft = new HistogramFamily(
      N.timeToFirstToken,
      'Time to the first token of streaming LLM calls in seconds.',
      ttftBoundsSeconds(),
    );
    this.tenants = new LabelLimiter(maxValues, (value) => this.dropLabelValue(L.tenant, value));
    this.features = new LabelLimiter(maxValues, (value) => this.dropLabelValue(L.feature, value));
  }

  /** Counts the LLM calls among committed, redacted spans. */
  observe(spans: readonly CanonicalSpan[]): void {
    for (const span of spans) {
      if (!span.isLlmCall || !this.markSeen(span)) continue;
      this.observeCall(span);
    }
  }

  /** Returns every metric in the text exposition format. */
  render(): string {
    this.refreshActive();
    return renderExposition([
      this.duration,
      this.ttft,
      this.requests,
      this.errors,
      this.tokens,
      this.tokenDetails,
      this.cost,
      this.unpriced,
      this.active,
    ]);
  }

  private markSeen(span: CanonicalSpan): boolean {
    const id = `${span.traceId}/${span.spanId}`;
    if (this.recentSpanIds.has(id)) return false;
    this.recentSpanIds.add(id);
    if (this.recentSpanIds.size > MAX_RECENT_SPAN_IDS) {
      const oldest = this.recentSpanIds.values().next().value;
      if (oldest !== undefined) this.recentSpanIds.delete(oldest);
    }
    return true;
  }

  private observeCall(span: CanonicalSpan): void {
    const call = {
      [L.service]: span.serviceName,
      [L.provider]: span.provider ?? '',
      [L.model]: span.model ?? '',
    };
    const tenant = span.tenant === null ? '' : this.tenants.record(span.tenant, 1);
    const feature = span.feature === null ? '' : this.features.record(span.feature, 1);
    const attributed = { ...call, [L.tenant]: tenant, [L.feature]: feature };

    this.duration.observe(call, span.durationMs / 1000);
    if (span.timeToFirstTokenMs !== null) this.ttft.observe(call, span.timeToFirstTokenMs / 1000);
    this.requests.add(attributed, 1);
    if (span.errorType !== null) this.errors.add({ ...call, [L.errorType]: span.errorType }, 1);

    this.countTokens(span, attributed);
    if (span.cost.totalUsd === null) this.unpriced.add(call, 1);
    else this.cost.add(attributed, span.cost.totalUsd);
    this.trackInterval(span, call);
  }

  private countTokens(span: CanonicalSpan, labels: SeriesLabels): void {
    const usage = span.usage;
    this.tokens.add({ ...labels, [L.tokenType]: 'input' }, usage.inputTokens);
    this.tokens.add({ ...labels, [L.tokenType]: 'output' }, usage.outputTokens);
    this.tokenDetails.add({ ...labels, [L.tokenType]: 'cached_input' }, usage.cachedInputTokens);
    this.tokenDetails.add({ ...labels, [L.tokenType]: 'cache_write' }, usage.cacheWriteTokens);
    this.tokenDetails.add({ ...labels, [L.tokenType]: 'reasoning' }, usage.reasoningTokens);
  }

  private trackInterval(span: CanonicalSpan, labels: SeriesLabels): void {
    const endMs = Number(span.endTimeUnixNano / NANOS_PER_MS);
    if (endMs <= this.now() - ACTIVE_LAG_MS) return;
    this.intervals.push({ labels, startMs: Number(span.startTimeUnixNano / NANOS_PER_MS), endMs });
    if (this.intervals.length > MAX_TRACKED_INTERVALS) this.intervals.shift();
  }

  /**
   * Counts calls running at the scrape time minus one minute.
   * NOTE: a call still running when scraped is known only once its span arrives,
   * so calls longer than a minute are missing until they end.
   */
  private refreshActive(): void {
    const atMs = this.now() - ACTIVE_LAG_MS;
    for (const entry of this.active.series.values()) entry.value = 0;
    this.intervals = this.intervals.filter((interval) => interval.endMs > atMs);
    for (const interval of this.intervals)
      this.active.add(interval.labels, interval.startMs <= atMs ? 1 : 0);
  }

  private dropLabelValue(name: string, value: string): void {
    for (const family of [this.requests, this.tokens, this.tokenDetails, this.cost])
      family.dropWhere(name, value);
  }
}
