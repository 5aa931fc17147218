import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { renderExposition } from './exposition.ts';
import { CallLabelSets, type AttributedLabelSets } from './call-label-sets.ts';
import { LabelLimiter } from './label-limiter.ts';
import { durationBoundsSeconds, ttftBoundsSeconds } from './latency-buckets.ts';
import { LLM_LABELS as L, LLM_METRIC_NAMES as N } from './llm-metric-names.ts';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { projectView } from './project-view.ts';
import {
  HistogramFamily,
  ValueFamily,
  type KeyedLabels,
  type MetricFamily,
} from './metric-family.ts';
import { RecentFingerprints, fingerprintOf } from '../recent-fingerprints.ts';

/** Builds families at scrape time: every project's series, or with `projectId` only that project's. */
export type ProjectFamilySource = (projectId?: string) => MetricFamily[];

export interface LlmMetricsOptions {
  /** Tenants and features per project that get their own label value; the rest count as `other`. Default 20. */
  maxLabelValues?: number;
  /** Bucket bounds of the duration histogram in seconds; default the GenAI bounds plus the alarm thresholds. */
  durationBoundsSeconds?: readonly number[];
  now?: () => number;
}

/** How far behind the scrape time the active-requests gauge looks, because spans arrive after they end. */
const ACTIVE_LAG_MS = 60_000;
const MAX_TRACKED_INTERVALS = 100_000;
/**
 * LLM calls per generation of the ids already counted, so that a resent span counts once.
 * Between this many and twice as many of the latest are remembered. A new span whose
 * fingerprint matches a remembered one (about one in 10^14) is not counted.
 */
const RECENT_SPAN_GENERATION = 100_000;
const NANOS_PER_MS = 1_000_000n;

interface CallInterval {
  series: KeyedLabels;
  startMs: number;
  endMs: number;
}

/** The tenant and feature label limiters of one project. */
interface ProjectLimiters {
  tenants: LabelLimiter;
  features: LabelLimiter;
}

/**
 * The Prometheus metrics derived from committed LLM call spans: request duration
 * and time-to-first-token histograms, request, error, token and cost counters, and
 * active requests. Each span counts once, however often it is sent. Every series
 * has a `project` label, and each project has its own top-N tenants and features,
 * so one project's traffic never moves another's values into `other`.
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
  private readonly maxLabelValues: number;
  private readonly limiters = new Map<string, ProjectLimiters>();
  private intervals: CallInterval[] = [];
  private readonly recentSpans = new RecentFingerprints(RECENT_SPAN_GENERATION);
  private readonly now: () => number;
  private readonly registered: MetricFamily[] = [];
  private readonly projectSources: ProjectFamilySource[] = [];
  private readonly labelSets = new CallLabelSets();

  constructor(options: LlmMetricsOptions = {}) {
    this.maxLabelValues = options.maxLabelValues ?? 20;
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
  }

  /** Counts the LLM calls among committed, redacted spans. */
  observe(spans: readonly CanonicalSpan[]): void {
    for (const span of spans) {
      if (!span.isLlmCall || !this.markSeen(span)) continue;
      this.observeCall(span);
    }
    // Trimmed once per batch: shifting a full array once per call costs a copy of it each time.
    const excess = this.intervals.length - MAX_TRACKED_INTERVALS;
    if (excess > 0) this.intervals.splice(0, excess);
  }

  /**
   * Returns the metrics in the text exposition format: every project's series,
   * or with `projectId` only that project's. The registered families, such as
   * the forwarders' delivery counts, describe the whole process and name the
   * operator's endpoints, so a project view has them only for the default project.
   * Families of the project sources, such as the redaction counters, follow the
   * same rule as the span-derived ones.
   */
  render(projectId?: string): string {
    if (projectId === undefined) return renderExposition(this.collect());
    this.refreshActive();
    const views = this.spanFamilies().map((family) => projectView(family, projectId));
    const sourced = this.projectSources.flatMap((source) => source(projectId));
    const registered = projectId === DEFAULT_PROJECT_ID ? this.registered : [];
    return renderExposition([...views, ...sourced, ...registered]);
  }

  /**
   * Returns the current families of every project: the span-derived ones first,
   * then those of the project sources, then the registered ones.
   */
  collect(): MetricFamily[] {
    this.refreshActive();
    const sourced = this.projectSources.flatMap((source) => source());
    return [...this.spanFamilies(), ...sourced, ...this.registered];
  }

  private spanFamilies(): MetricFamily[] {
    return [
      this.duration,
      this.ttft,
      this.requests,
      this.errors,
      this.tokens,
      this.tokenDetails,
      this.cost,
      this.unpriced,
      this.active,
    ];
  }

  /** Adds a family that other parts, such as the forwarders, update; it is rendered with the rest. */
  register(family: MetricFamily): void {
    this.registered.push(family);
  }

  /** Adds a source whose families are built at each scrape and carry a `project` label per series. */
  registerProjectSource(source: ProjectFamilySource): void {
    this.projectSources.push(source);
  }

  private limitersOf(projectId: string): ProjectLimiters {
    let limiters = this.limiters.get(projectId);
    if (limiters === undefined) {
      const demote = (label: string) => (value: string) =>
        this.dropLabelValue(projectId, label, value);
      limiters = {
        tenants: new LabelLimiter(this.maxLabelValues, demote(L.tenant)),
        features: new LabelLimiter(this.maxLabelValues, demote(L.feature)),
      };
      this.limiters.set(projectId, limiters);
    }
    return limiters;
  }

  /** Projects may reuse trace and span ids, so a span is identified within its project. */
  private markSeen(span: CanonicalSpan): boolean {
    const print = fingerprintOf(span.projectId, span.traceId, span.spanId);
    if (this.recentSpans.has(print)) return false;
    this.recentSpans.add(print);
    return true;
  }

  private observeCall(span: CanonicalSpan): void {
    const call = this.labelSets.call(
      span.projectId,
      span.serviceName,
      span.provider ?? '',
      span.model ?? '',
    );
    const limiters = this.limitersOf(span.projectId);
    const tenant = span.tenant === null ? '' : limiters.tenants.record(span.tenant, 1);
    const feature = span.feature === null ? '' : limiters.features.record(span.feature, 1);
    const attributed = this.labelSets.attributed(call, tenant, feature);

    this.duration.observeKeyed(call, span.durationMs / 1000);
    if (span.timeToFirstTokenMs !== null)
      this.ttft.observeKeyed(call, span.timeToFirstTokenMs / 1000);
    this.requests.addKeyed(attributed.attributed, 1);
    if (span.errorType !== null)
      this.errors.addKeyed(this.labelSets.error(call, span.errorType), 1);

    this.countTokens(span, attributed);
    if (span.cost.totalUsd === null) this.unpriced.addKeyed(call, 1);
    else this.cost.addKeyed(attributed.attributed, span.cost.totalUsd);
    this.trackInterval(span, call);
  }

  private countTokens(span: CanonicalSpan, sets: AttributedLabelSets): void {
    const usage = span.usage;
    this.tokens.addKeyed(sets.inputTokens, usage.inputTokens);
    this.tokens.addKeyed(sets.outputTokens, usage.outputTokens);
    this.tokenDetails.addKeyed(sets.cachedInputTokens, usage.cachedInputTokens);
    this.tokenDetails.addKeyed(sets.cacheWriteTokens, usage.cacheWriteTokens);
    this.tokenDetails.addKeyed(sets.reasoningTokens, usage.reasoningTokens);
  }

  private trackInterval(span: CanonicalSpan, series: KeyedLabels): void {
    const endMs = Number(span.endTimeUnixNano / NANOS_PER_MS);
    if (endMs <= this.now() - ACTIVE_LAG_MS) return;
    this.intervals.push({ series, startMs: Number(span.startTimeUnixNano / NANOS_PER_MS), endMs });
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
      this.active.addKeyed(interval.series, interval.startMs <= atMs ? 1 : 0);
  }

  private dropLabelValue(projectId: string, name: string, value: string): void {
    for (const family of [this.requests, this.tokens, this.tokenDetails, this.cost])
      family.dropWhere(name, value, projectId);
  }
}
