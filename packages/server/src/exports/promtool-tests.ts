import { parse, stringify } from 'yaml';
import type { CompiledRule } from '../alerts/compiled-rule.ts';
import { BURN_WINDOW_SETS } from '../alerts/slo-windows.ts';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { formatDurationMs } from '../panels/duration.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { renderExposition } from './exposition.ts';
import { LlmMetrics } from './llm-metrics.ts';
import { LLM_LABELS as L, LLM_METRIC_NAMES as N } from './llm-metric-names.ts';
import type { MetricFamily } from './metric-family.ts';
import type { PrometheusRulesResult } from './prometheus-rules.ts';
import { NotExpressibleError, PROMETHEUS_LABEL_OF, buildPromQl } from './promql-builder.ts';

const MINUTE_MS = 60_000;
const DEFAULT_WINDOW_MS = 5 * MINUTE_MS;
/** Candidate scrape intervals of the input series, in minutes; the coarsest that fits is used. */
const INTERVAL_MINUTES = [1, 2, 3, 5, 10, 15] as const;
/** Samples the shortest range a rule reads must hold at the chosen scrape interval. */
const MIN_SAMPLES_PER_RANGE = 5;
/** The check before the incident is made within this many minutes before its start. */
const SEARCH_BEFORE_MINUTES = 60;
/** Minutes replayed after the incident, to find the minute where the alert has resolved. */
const TAIL_MINUTES = 3 * 60;
/** Evaluation step of the generated tests, which the expected alert states follow. */
const EVALUATION_INTERVAL_MS = MINUTE_MS;

/** One LLM call of a simulated incident, as its span reaches Foghorn. */
export interface ReplayCall {
  startMs: number;
  durationMs: number;
  service: string;
  provider: string;
  model: string;
  tenant: string;
  feature: string;
  inputTokens: number;
  outputTokens: number;
  errorType: string | null;
  ttftMs: number | null;
  /** Priced cost of the call; null for a model without a price. */
  costUsd: number | null;
}

/** A simulated incident: the calls around it, its window and the exported alert expected to fire. */
export interface PromtoolIncident {
  name: string;
  ruleId: string;
  startMs: number;
  endMs: number;
  calls: readonly ReplayCall[];
}

export interface PromtoolTestFile {
  fileName: string;
  yaml: string;
}

/** The files of one incident: the rules under test and the `promtool test rules` file that names them. */
export interface PromtoolIncidentTest {
  incident: string;
  rulesFile: PromtoolTestFile;
  testFile: PromtoolTestFile;
}

export interface PromtoolTestsResult {
  tests: PromtoolIncidentTest[];
  skipped: { incident: string; reason: string }[];
}

interface Series {
  /** The series as `/metrics` prints it, such as `name{label="value"}`. */
  text: string;
  name: string;
  labels: Record<string, string>;
  /** One sample per scrape; null before the series first appears. */
  values: (number | null)[];
  /** The sample values as `/metrics` printed them. */
  printed: (string | null)[];
  /** Index of the first sample. */
  firstIndex: number;
}

/** The scrape grid of one test: scrape `i` is at `originMs + i * intervalMs`, which promtool calls time `i * interval`. */
interface Layout {
  originMs: number;
  intervalMs: number;
  scrapes: number;
}

/** Series of one test by name, each list in the order promtool creates them. */
interface SeriesIndex {
  intervalMs: number;
  byName: Map<string, Series[]>;
}

type GroupValues = Map<string, number>;

interface ExportedRule {
  record?: string;
  alert?: string;
  expr: string;
  annotations?: Record<string, string>;
}

interface ExportedGroup {
  name: string;
  rules: ExportedRule[];
}

/** Builds `CanonicalSpan`s holding only the fields `LlmMetrics.observe` reads. */
function callSpan(call: ReplayCall, index: number): CanonicalSpan {
  const endMs = call.startMs + call.durationMs;
  return {
    projectId: DEFAULT_PROJECT_ID,
    traceId: index.toString(16).padStart(32, '0'),
    spanId: index.toString(16).padStart(16, '0'),
    isLlmCall: true,
    serviceName: call.service,
    provider: call.provider,
    model: call.model,
    tenant: call.tenant,
    feature: call.feature,
    durationMs: call.durationMs,
    timeToFirstTokenMs: call.ttftMs,
    errorType: call.errorType,
    startTimeUnixNano: BigInt(Math.round(call.startMs)) * 1_000_000n,
    endTimeUnixNano: BigInt(Math.round(endMs)) * 1_000_000n,
    usage: {
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    cost: { totalUsd: call.costUsd },
  } as unknown as CanonicalSpan;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
    labels[match[1]!] = match[2]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
  return labels;
}

/**
 * Replays the calls through a real LlmMetrics registry and scrapes `/metrics`
 * once per interval from `originMs`; a call counts once its span ends.
 * Only the families with a series named in `names` are rendered, and only those series kept.
 */
function replaySeries(
  calls: readonly ReplayCall[],
  layout: Layout,
  names: ReadonlySet<string>,
): Series[] {
  let nowMs = layout.originMs;
  const metrics = new LlmMetrics({ now: () => nowMs });
  const byText = new Map<string, Series>();
  const endOf = (call: ReplayCall): number => call.startMs + call.durationMs;
  const sorted = [...calls].sort((a, b) => endOf(a) - endOf(b));
  const isRead = (family: MetricFamily): boolean =>
    [...names].some((name) => name === family.name || name.startsWith(`${family.name}_`));
  let next = 0;
  for (let index = 0; index < layout.scrapes; index++) {
    nowMs = layout.originMs + index * layout.intervalMs;
    const batch: CanonicalSpan[] = [];
    for (; next < sorted.length && endOf(sorted[next]!) <= nowMs; next++)
      if (endOf(sorted[next]!) > layout.originMs) batch.push(callSpan(sorted[next]!, next + 1));
    metrics.observe(batch);
    const exposition = renderExposition(metrics.collect().filter(isRead));
    recordScrape(exposition, index, layout.scrapes, names, byText);
  }
  return [...byText.values()];
}

function recordScrape(
  exposition: string,
  index: number,
  scrapes: number,
  names: ReadonlySet<string>,
  byText: Map<string, Series>,
): void {
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const text = line.slice(0, space);
    let series = byText.get(text);
    if (series === undefined) {
      const brace = text.indexOf('{');
      const name = brace === -1 ? text : text.slice(0, brace);
      if (!names.has(name)) continue;
      series = {
        text,
        name,
        labels: brace === -1 ? {} : parseLabels(text.slice(brace)),
        values: new Array<number | null>(scrapes).fill(null),
        printed: new Array<string | null>(scrapes).fill(null),
        firstIndex: index,
      };
      byText.set(text, series);
    }
    series.printed[index] = line.slice(space + 1);
    series.values[index] = Number(line.slice(space + 1));
  }
}

/**
 * Delays first samples so that no two series of one sum group (same name, same
 * `groupLabel` value) start at the same scrape, and returns the largest group size.
 * promtool's loader creates the series that start at one scrape in Go map order,
 * and `sum` adds in creation order, so the last bits of a sum would vary per run.
 * With distinct starts, creation order is start order, which the expected values use.
 */
function staggerFirstSamples(series: Series[], groupLabel: string | null): number {
  const nextFree = new Map<string, number>();
  const sizes = new Map<string, number>();
  const ordered = [...series].sort((a, b) => {
    if (a.firstIndex !== b.firstIndex) return a.firstIndex - b.firstIndex;
    return a.text < b.text ? -1 : 1;
  });
  for (const entry of ordered) {
    const key = `${entry.name}\u0000${groupLabel === null ? '' : (entry.labels[groupLabel] ?? '')}`;
    const first = Math.max(entry.firstIndex, nextFree.get(key) ?? 0);
    for (let i = entry.firstIndex; i < first; i++) {
      entry.values[i] = null;
      entry.printed[i] = null;
    }
    entry.firstIndex = first;
    nextFree.set(key, first + 1);
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  return Math.max(0, ...sizes.values());
}

/** Drops the samples after scrape `lastIndex` and the series left without samples. */
function truncateSeries(series: readonly Series[], lastIndex: number): Series[] {
  return series
    .filter((entry) => entry.firstIndex <= lastIndex)
    .map((entry) => ({
      ...entry,
      values: entry.values.slice(0, lastIndex + 1),
      printed: entry.printed.slice(0, lastIndex + 1),
    }));
}

function indexSeries(series: readonly Series[], intervalMs: number): SeriesIndex {
  const byName = new Map<string, Series[]>();
  for (const entry of [...series].sort((a, b) => a.firstIndex - b.firstIndex)) {
    const list = byName.get(entry.name) ?? [];
    list.push(entry);
    byName.set(entry.name, list);
  }
  return { intervalMs, byName };
}

/** Writes samples in promtool's series notation: `_` for a missing sample, `v+0xN` for a run of N + 1 equal ones. */
function seriesNotation(printed: readonly (string | null)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < printed.length;) {
    let run = 1;
    while (i + run < printed.length && printed[i + run] === printed[i]) run++;
    const value = printed[i] ?? null;
    if (value === null) parts.push(run === 1 ? '_' : `_x${run}`);
    else parts.push(run === 1 ? value : `${value}+0x${run - 1}`);
    i += run;
  }
  return parts.join(' ');
}

/**
 * Computes `rate()` (or `increase()`) of one counter series the way Prometheus
 * 2.42 does: a closed range, counter resets, and extrapolation to the range edges
 * limited to half a sample interval and to the counter's zero point.
 * The floating-point operations run in Prometheus's order, so the result is bit-exact.
 */
function extrapolatedRate(
  points: readonly [number, number][],
  rangeStartMs: number,
  rangeEndMs: number,
  rangeSeconds: number,
  isRate: boolean,
): number | null {
  if (points.length < 2) return null;
  const [firstMs, firstValue] = points[0]!;
  const [lastMs, lastValue] = points[points.length - 1]!;
  let result = lastValue - firstValue;
  let previous = firstValue;
  for (const [, value] of points.slice(1)) {
    if (value < previous) result += previous;
    previous = value;
  }
  let toStart = (firstMs - rangeStartMs) / 1000;
  const toEnd = (rangeEndMs - lastMs) / 1000;
  const sampled = (lastMs - firstMs) / 1000;
  const average = sampled / (points.length - 1);
  if (result > 0 && firstValue >= 0) toStart = Math.min(toStart, sampled * (firstValue / result));
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  let factor = interval / sampled;
  if (isRate) factor /= rangeSeconds;
  return result * factor;
}

interface RangeQuery {
  name: string;
  matchers: Record<string, string>;
  by: string | null;
  rangeMs: number;
  offsetMs: number;
  isRate: boolean;
}

/** Evaluates `sum by (by) (rate(name{matchers}[range] offset))` at `minute`, adding series in creation order. */
function sumRange(index: SeriesIndex, query: RangeQuery, minute: number): GroupValues {
  const endMs = minute * MINUTE_MS - query.offsetMs;
  const startMs = endMs - query.rangeMs;
  const firstScrape = Math.max(0, Math.ceil(startMs / index.intervalMs));
  const lastScrape = Math.floor(endMs / index.intervalMs);
  const sums: GroupValues = new Map();
  for (const entry of index.byName.get(query.name) ?? []) {
    if (!Object.entries(query.matchers).every(([name, value]) => entry.labels[name] === value))
      continue;
    const points: [number, number][] = [];
    for (let i = firstScrape; i <= lastScrape && i < entry.values.length; i++)
      if (entry.values[i] !== null) points.push([i * index.intervalMs, entry.values[i]!]);
    const value = extrapolatedRate(points, startMs, endMs, query.rangeMs / 1000, query.isRate);
    if (value === null) continue;
    const group = query.by === null ? '' : (entry.labels[query.by] ?? '');
    const sum = sums.get(group);
    sums.set(group, sum === undefined ? value : sum + value);
  }
  return sums;
}

function combine(
  left: GroupValues,
  right: GroupValues,
  op: (a: number, b: number) => number,
): GroupValues {
  const result: GroupValues = new Map();
  for (const [group, value] of left) {
    const other = right.get(group);
    if (other !== undefined) result.set(group, op(value, other));
  }
  return result;
}

function scale(values: GroupValues, factor: number): GroupValues {
  return new Map([...values].map(([group, value]) => [group, value * factor]));
}

function groupLabelOf(rule: CompiledRule): string | null {
  return rule.expression.by === null ? null : PROMETHEUS_LABEL_OF[rule.expression.by]!;
}

/**
 * Evaluates the PromQL that promql-builder.ts writes for `rule`'s series
 * expression over one window, for the metrics whose expected values are computed here.
 */
function expressionValues(
  rule: CompiledRule,
  index: SeriesIndex,
  windowMs: number,
  offsetMs: number,
  minute: number,
): GroupValues {
  const expression = rule.expression;
  const by = groupLabelOf(rule);
  const matchers: Record<string, string> = { [L.project]: rule.projectId };
  for (const [name, value] of Object.entries(expression.matchers))
    if (name !== 'threshold_ms' && name !== 'error_type')
      matchers[PROMETHEUS_LABEL_OF[name]!] = value;
  const query = (name: string, extra: Record<string, string> = {}, isRate = true): GroupValues =>
    sumRange(
      index,
      { name, matchers: { ...matchers, ...extra }, by, rangeMs: windowMs, offsetMs, isRate },
      minute,
    );
  switch (expression.metric) {
    case 'slow_ratio': {
      const le = String(Number(expression.matchers.threshold_ms) / 1000);
      const within = query(`${N.duration}_bucket`, { le });
      return combine(within, query(`${N.duration}_count`), (w, all) => 1 - w / all);
    }
    case 'error_ratio': {
      if (by === L.errorType) break;
      const errorType = expression.matchers.error_type;
      const errors = query(N.errors, errorType === undefined ? {} : { [L.errorType]: errorType });
      return combine(errors, query(N.requests), (e, all) => e / all);
    }
    case 'cost_usd_per_hour':
      return scale(query(N.cost), 3600);
    case 'requests':
      return query(N.requests, {}, false);
  }
  throw new NotExpressibleError(
    `expected values of ${expression.metric}${by === null ? '' : ` by ${by}`} are not computed`,
  );
}

/** Ranges the rule's alert and recording rules read, with their offsets. */
function readRanges(rule: CompiledRule): { rangeMs: number; offsetMs: number }[] {
  const windowMs = rule.expression.windowMs ?? DEFAULT_WINDOW_MS;
  switch (rule.spec.kind) {
    case 'slo_burn':
      return BURN_WINDOW_SETS[rule.spec.slo!.windows].flatMap((pair) => [
        { rangeMs: pair.longMs, offsetMs: 0 },
        { rangeMs: pair.shortMs, offsetMs: 0 },
      ]);
    case 'baseline':
    case 'no_data':
      return [
        { rangeMs: windowMs, offsetMs: 0 },
        { rangeMs: rule.baselineMs, offsetMs: windowMs },
      ];
  }
  throw new NotExpressibleError(`expected values of ${rule.spec.kind} rules are not computed`);
}

function compare(value: number, comparator: string, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
  throw new NotExpressibleError(`comparator ${comparator} is not evaluated`);
}

/** Keeps groups with at least `min_requests` calls in the window, as the exported `and on (...)` does. */
function withMinRequests(
  rule: CompiledRule,
  index: SeriesIndex,
  values: GroupValues,
  windowMs: number,
  minute: number,
): GroupValues {
  if (rule.spec.min_requests <= 0) return values;
  const query = {
    name: N.requests,
    matchers: { [L.project]: rule.projectId },
    by: groupLabelOf(rule),
    rangeMs: windowMs,
    offsetMs: 0,
    isRate: false,
  };
  const counts = sumRange(index, query, minute);
  return new Map(
    [...values].filter(([group]) => (counts.get(group) ?? -1) >= rule.spec.min_requests),
  );
}

/** Returns the groups whose alert condition is true at `minute`, with the alert's `$value`. */
function activeGroups(rule: CompiledRule, index: SeriesIndex, minute: number): GroupValues {
  const windowMs = rule.expression.windowMs ?? DEFAULT_WINDOW_MS;
  const values = (rangeMs: number, offsetMs = 0): GroupValues =>
    expressionValues(rule, index, rangeMs, offsetMs, minute);
  switch (rule.spec.kind) {
    case 'slo_burn':
      return sloGroups(rule, index, minute);
    case 'baseline': {
      if ((rule.spec.baseline?.compare ?? 'ratio') !== 'ratio')
        throw new NotExpressibleError('only ratio baselines are exported');
      const ratio = combine(values(windowMs), values(rule.baselineMs, windowMs), (a, b) => a / b);
      const passing = new Map(
        [...ratio].filter(([, value]) => compare(value, rule.comparator, rule.threshold)),
      );
      return withMinRequests(rule, index, passing, windowMs, minute);
    }
    case 'no_data': {
      const recent = values(windowMs);
      const floor = Math.max(1, rule.spec.min_requests);
      return new Map(
        [...values(rule.baselineMs, windowMs)].filter(
          ([group, count]) => count >= floor && !((recent.get(group) ?? 0) > 0),
        ),
      );
    }
  }
  throw new NotExpressibleError(`expected values of ${rule.spec.kind} rules are not computed`);
}

function sloGroups(rule: CompiledRule, index: SeriesIndex, minute: number): GroupValues {
  const slo = rule.spec.slo!;
  const budget = Number((1 - slo.objective).toPrecision(12));
  const pairs = BURN_WINDOW_SETS[slo.windows];
  const burn = (windowMs: number): GroupValues =>
    new Map(
      [...expressionValues(rule, index, windowMs, 0, minute)].map(([group, ratio]) => [
        group,
        ratio / budget,
      ]),
    );
  const result: GroupValues = new Map();
  for (const pair of pairs) {
    const long = burn(pair.longMs);
    const short = burn(pair.shortMs);
    for (const [group, value] of long)
      if (!result.has(group) && value > pair.factor && (short.get(group) ?? 0) > pair.factor)
        result.set(group, value);
  }
  const longestMs = Math.max(...pairs.map((pair) => pair.longMs));
  return withMinRequests(rule, index, result, longestMs, minute);
}

/**
 * Returns the alert state at a minute: the firing groups with their values, or
 * null when a group is between states (pending, or kept firing) and its state is not stated.
 */
function alertStates(
  rule: CompiledRule,
  index: SeriesIndex,
): (minute: number) => GroupValues | null {
  const cache = new Map<number, GroupValues>();
  const active = (minute: number): GroupValues => {
    let groups = cache.get(minute);
    if (groups === undefined) {
      groups = activeGroups(rule, index, minute);
      cache.set(minute, groups);
    }
    return groups;
  };
  const forMinutes = Math.ceil(rule.forMs / MINUTE_MS);
  const lookback = forMinutes + Math.ceil(rule.keepFiringForMs / MINUTE_MS) + 2;
  return (minute) => {
    const history: GroupValues[] = [];
    for (let m = Math.max(0, minute - lookback); m <= minute; m++) history.push(active(m));
    const now = history[history.length - 1]!;
    const recent = history.slice(-(forMinutes + 1));
    const firing: GroupValues = new Map();
    for (const group of new Set(history.flatMap((entry) => [...entry.keys()]))) {
      if (recent.length < forMinutes + 1 || !recent.every((entry) => entry.has(group))) return null;
      firing.set(group, now.get(group)!);
    }
    return firing;
  };
}

/**
 * Formats a float as Go's `%v` (shortest `%g`) does: the shortest exact digits,
 * in exponent form below 1e-4 and from 1e6, as Go's strconv decides for shortest precision.
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 6) return String(value);
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Formats like Prometheus's `humanizePercentage`: Go's `%.4g` of the value times 100, then `%`. */
function humanizePercentage(value: number): string {
  const percent = value * 100;
  if (!Number.isFinite(percent) || percent === 0) return `${formatGoFloat(percent)}%`;
  const [mantissa, exponentText] = percent.toExponential(3).split('e');
  const exponent = Number(exponentText);
  const trimmed = String(Number(mantissa));
  if (exponent >= -4 && exponent < 4) return `${String(Number(percent.toPrecision(4)))}%`;
  const sign = exponent < 0 ? '-' : '+';
  return `${trimmed}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}%`;
}

/** Escapes like Go's `url.QueryEscape`, which the `urlquery` template function uses. */
function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Renders the template actions the exported annotations use; any other action is rejected. */
export function renderAnnotation(
  template: string,
  labels: Readonly<Record<string, string>>,
  value: number,
): string {
  return template.replace(/\{\{\s*(.*?)\s*\}\}/g, (whole, action: string) => {
    const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)(\s*\|\s*urlquery)?$/.exec(action);
    if (label !== null) {
      const text = labels[label[1]!] ?? '';
      return label[2] === undefined ? text : queryEscape(text);
    }
    if (action === '$value') return formatGoFloat(value);
    if (/^\$value\s*\|\s*humanizePercentage$/.test(action)) return humanizePercentage(value);
    throw new NotExpressibleError(`the template action ${whole} has no renderer here`);
  });
}

/** Names (metric and record names) that occur in a PromQL expression. */
function namesIn(expr: string): Set<string> {
  return new Set(expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []);
}

/**
 * Copies the alert `ruleId` and the recording rules it reads out of the
 * exported rule file, keeping their groups; the records group comes first.
 */
function rulesUnderTest(exportedYaml: string, ruleId: string): ExportedGroup[] {
  const file = parse(exportedYaml) as { groups: ExportedGroup[] };
  const alertGroup = file.groups.find((group) => group.rules.some((rule) => rule.alert === ruleId));
  if (alertGroup === undefined)
    throw new NotExpressibleError(`the exported rule file has no alert ${ruleId}`);
  const alert = alertGroup.rules.find((rule) => rule.alert === ruleId)!;
  const read = namesIn(alert.expr);
  const groups: ExportedGroup[] = [];
  for (const group of file.groups) {
    const records = group.rules.filter(
      (rule) => rule.record !== undefined && read.has(rule.record),
    );
    if (records.length > 0) groups.push({ name: group.name, rules: records });
  }
  groups.push({ name: alertGroup.name, rules: [alert] });
  return groups;
}

function expectedAlerts(
  rule: CompiledRule,
  annotations: Readonly<Record<string, string>>,
  firing: GroupValues,
): object[] {
  const by = groupLabelOf(rule);
  return [...firing].map(([group, value]) => {
    const seriesLabels: Record<string, string> = by === null || group === '' ? {} : { [by]: group };
    const rendered: Record<string, string> = {};
    for (const [name, template] of Object.entries(annotations))
      rendered[name] = renderAnnotation(template, seriesLabels, value);
    return {
      exp_labels: {
        ...rule.spec.labels,
        ...seriesLabels,
        severity: rule.spec.severity,
        foghorn_rule: rule.id,
        panel: rule.spec.panel,
      },
      exp_annotations: rendered,
    };
  });
}

/** `promql_expr_test` entries for the SLO ratio records the alert reads, skipping any with NaN samples. */
function recordTests(
  rule: CompiledRule,
  records: readonly ExportedRule[],
  index: SeriesIndex,
  minute: number,
): object[] {
  if (rule.spec.slo === undefined) return [];
  const tests: object[] = [];
  const windows = BURN_WINDOW_SETS[rule.spec.slo.windows].flatMap((pair) => [
    pair.longMs,
    pair.shortMs,
  ]);
  const by = groupLabelOf(rule);
  for (const windowMs of windows) {
    const expr = buildPromQl(rule.expression, windowMs, { projectId: rule.projectId });
    const record = records.find((entry) => entry.expr === expr);
    if (record?.record === undefined) continue;
    const values = expressionValues(rule, index, windowMs, 0, minute);
    if ([...values.values()].some((value) => !Number.isFinite(value))) continue;
    const samples = [...values].map(([group, value]) => ({
      labels: by === null ? record.record! : `${record.record!}{${by}="${group}"}`,
      value,
    }));
    tests.push({ expr: record.record, eval_time: `${minute}m`, exp_samples: samples });
  }
  return tests;
}

/** Finds a minute, searching from `fromMinute` by `step`, where the alert state is settled and passes `want`. */
function findMinute(
  fromMinute: number,
  toMinute: number,
  step: number,
  state: (minute: number) => GroupValues | null,
  want: (firing: GroupValues) => boolean,
): { minute: number; firing: GroupValues } | null {
  for (
    let minute = fromMinute;
    step > 0 ? minute <= toMinute : minute >= toMinute;
    minute += step
  ) {
    const firing = state(minute);
    if (firing !== null && want(firing)) return { minute, firing };
  }
  return null;
}

/** Returns the coarsest scrape interval that leaves MIN_SAMPLES_PER_RANGE samples in the shortest range. */
function scrapeIntervalMs(rule: CompiledRule): number {
  const shortestMs = Math.min(...readRanges(rule).map((range) => range.rangeMs));
  const fitting = INTERVAL_MINUTES.filter(
    (minutes) => minutes * MINUTE_MS * MIN_SAMPLES_PER_RANGE <= shortestMs,
  );
  return (fitting[fitting.length - 1] ?? 1) * MINUTE_MS;
}

/**
 * Places the scrapes: from the furthest back the rule reads before the earliest
 * check, less one scrape per series of the largest sum group (their staggered
 * starts), to three hours after the incident.
 */
function layoutFor(rule: CompiledRule, incident: PromtoolIncident, staggerScrapes: number): Layout {
  const intervalMs = scrapeIntervalMs(rule);
  const readMs = Math.max(...readRanges(rule).map((range) => range.rangeMs + range.offsetMs));
  const lookbackMs = rule.forMs + rule.keepFiringForMs + 2 * EVALUATION_INTERVAL_MS;
  const leadMs =
    readMs + SEARCH_BEFORE_MINUTES * MINUTE_MS + lookbackMs + (staggerScrapes + 1) * intervalMs;
  const originMs = Math.floor((incident.startMs - leadMs) / intervalMs) * intervalMs;
  const scrapes = Math.ceil((incident.endMs + TAIL_MINUTES * MINUTE_MS - originMs) / intervalMs);
  return { originMs, intervalMs, scrapes };
}

/** Replays the incident's calls into the series the rules read, with staggered starts. */
function incidentSeries(
  incident: PromtoolIncident,
  rule: CompiledRule,
  names: ReadonlySet<string>,
): { layout: Layout; series: Series[] } {
  const groupLabel = groupLabelOf(rule);
  const firstPass = replaySeries(incident.calls, layoutFor(rule, incident, 0), names);
  const largestGroup = staggerFirstSamples(firstPass, groupLabel);
  const layout = layoutFor(rule, incident, largestGroup);
  const series = replaySeries(incident.calls, layout, names);
  staggerFirstSamples(series, groupLabel);
  return { layout, series };
}

function incidentTest(
  incident: PromtoolIncident,
  rule: CompiledRule,
  groups: readonly ExportedGroup[],
  rulesFileName: string,
): object {
  const rules = groups.flatMap((group) => group.rules);
  const alert = rules.find((entry) => entry.alert === rule.id)!;
  const names = new Set(rules.flatMap((entry) => [...namesIn(entry.expr)]));
  const { layout, series } = incidentSeries(incident, rule, names);
  const minuteOf = (ms: number): number => (ms - layout.originMs) / MINUTE_MS;
  const startMinute = Math.ceil(minuteOf(incident.startMs));
  const endMinute = Math.floor(minuteOf(incident.endMs));
  const lastMinute = Math.floor(
    minuteOf(layout.originMs + (layout.scrapes - 1) * layout.intervalMs),
  );
  const state = alertStates(rule, indexSeries(series, layout.intervalMs));
  const quiet = (firing: GroupValues): boolean => firing.size === 0;

  const before = findMinute(startMinute - 1, startMinute - SEARCH_BEFORE_MINUTES, -1, state, quiet);
  const during = findMinute(endMinute - 1, startMinute, -1, state, (firing) => firing.size > 0);
  const after = findMinute(endMinute + 1, lastMinute, 1, state, quiet);
  if (before === null || during === null || after === null)
    throw new NotExpressibleError(
      `no clean minute ${before === null ? 'before' : during === null ? 'during' : 'after'} the incident`,
    );

  const kept = truncateSeries(series, Math.floor((after.minute * MINUTE_MS) / layout.intervalMs));
  const index = indexSeries(kept, layout.intervalMs);
  const annotations = alert.annotations ?? {};
  return {
    rule_files: [rulesFileName],
    evaluation_interval: formatDurationMs(EVALUATION_INTERVAL_MS),
    // Records are written before the alert that reads them is evaluated at the same time.
    group_eval_order: groups.map((group) => group.name),
    tests: [
      {
        name: `${incident.name}: ${rule.id}`,
        interval: formatDurationMs(layout.intervalMs),
        input_series: kept
          .sort((a, b) => a.firstIndex - b.firstIndex)
          .map((entry) => ({ series: entry.text, values: seriesNotation(entry.printed) })),
        alert_rule_test: [before, during, after].map((point) => ({
          eval_time: `${point.minute}m`,
          alertname: rule.id,
          exp_alerts: expectedAlerts(rule, annotations, point.firing),
        })),
        promql_expr_test: recordTests(rule, rules, index, during.minute),
      },
    ],
  };
}

function baseNameOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function incidentFiles(
  incident: PromtoolIncident,
  rules: readonly CompiledRule[],
  exported: PrometheusRulesResult,
): PromtoolIncidentTest {
  const notExported = exported.skipped.find((entry) => entry.id === incident.ruleId);
  if (notExported !== undefined) throw new NotExpressibleError(notExported.reason);
  const rule = rules.find((entry) => entry.id === incident.ruleId);
  if (rule === undefined) throw new NotExpressibleError(`no rule has the id ${incident.ruleId}`);
  const groups = rulesUnderTest(exported.yaml, rule.id);
  const baseName = baseNameOf(incident.name);
  const rulesFileName = `${baseName}.rules.yml`;
  const header = `# The alert ${rule.id} and the recording rules it reads, as "foghorn export prometheus-rules" writes them.\n`;
  const test = incidentTest(incident, rule, groups, rulesFileName);
  return {
    incident: incident.name,
    rulesFile: { fileName: rulesFileName, yaml: header + stringify({ groups }, { lineWidth: 0 }) },
    testFile: { fileName: `${baseName}.test.yml`, yaml: stringify(test, { lineWidth: 0 }) },
  };
}

/**
 * Builds, per incident whose rule the exported file holds, a rule file with
 * that alert and the recording rules it reads, and a `promtool test rules`
 * file for it. The input series are the `/metrics` series those rules read,
 * from a real LlmMetrics registry fed the incident's calls and scraped at the
 * coarsest interval the rule's shortest range allows, over the shortest
 * history its longest range needs. The alert is checked before, during and
 * after the incident, with labels and annotations rendered as Prometheus would.
 * NOTE: expected values follow Prometheus 2.x, whose ranges include the sample at
 * their start; Prometheus 3 excludes it, so its rates over the same samples differ.
 */
export function buildPromtoolTests(
  rules: readonly CompiledRule[],
  exported: PrometheusRulesResult,
  incidents: readonly PromtoolIncident[],
): PromtoolTestsResult {
  const result: PromtoolTestsResult = { tests: [], skipped: [] };
  for (const incident of incidents) {
    try {
      const fileName = `${baseNameOf(incident.name)}.test.yml`;
      if (result.tests.some((test) => test.testFile.fileName === fileName))
        throw new NotExpressibleError(`an earlier incident already writes ${fileName}; rename one`);
      result.tests.push(incidentFiles(incident, rules, exported));
    } catch (error) {
      if (!(error instanceof NotExpressibleError)) throw error;
      result.skipped.push({ incident: incident.name, reason: error.message });
    }
  }
  return result;
}
