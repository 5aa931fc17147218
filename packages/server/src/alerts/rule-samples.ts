import type { BudgetBook } from '../budgets/budgets.ts';
import type { CompiledRule } from './compiled-rule.ts';
import type { Labels } from './labels.ts';
import type { Comparator } from './rule-schema.ts';
import type { SeriesPoint, SeriesReader } from './series-reader.ts';
import { BURN_WINDOW_SETS, type BurnWindowPair } from './slo-windows.ts';

/**
 * One group's result of a rule evaluation. `fires` applies to an inactive
 * instance and `holds` (the resolve threshold) to an active one.
 */
export interface RuleSample {
  labels: Labels;
  value: number;
  threshold: number;
  fires: boolean;
  holds: boolean;
}

export interface SampleContext {
  reader: SeriesReader;
  budgets: BudgetBook;
  nowMs: number;
  /** Start of each project's stored data, read once per evaluation; absent or null when it has none. */
  dataStartMs: ReadonlyMap<string, number | null>;
}

/**
 * Baseline windows end on multiples of this step, so consecutive evaluations share
 * one cached baseline: 5 minutes, or a 48th of the baseline when that is longer
 * (30 min for a 24 h baseline, 3.5 h for 7 d). The gap this leaves between the
 * baseline and the current window is at most one step.
 */
export function baselineAlignmentMs(baselineMs: number): number {
  return Math.max(5 * 60_000, Math.floor(baselineMs / 48 / 60_000) * 60_000);
}

/** Evaluates a rule at `nowMs` and returns a sample per group that has enough traffic. */
export function sampleRule(rule: CompiledRule, context: SampleContext): Promise<RuleSample[]> {
  switch (rule.spec.kind) {
    case 'threshold':
      return sampleThreshold(rule, context);
    case 'slo_burn':
      return sampleSloBurn(rule, context);
    case 'baseline':
      return sampleBaseline(rule, context);
    case 'budget':
      return sampleBudget(rule, context);
    case 'no_data':
      return sampleNoData(rule, context);
  }
}

export function compare(comparator: Comparator, value: number, threshold: number): boolean {
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
}

function groupLabels(rule: CompiledRule, key: string | null): Labels {
  return rule.expression.by === null || key === null ? {} : { [rule.expression.by]: key };
}

function thresholdSample(rule: CompiledRule, key: string | null, value: number): RuleSample {
  return {
    labels: groupLabels(rule, key),
    value,
    threshold: rule.threshold,
    fires: compare(rule.comparator, value, rule.threshold),
    holds: compare(rule.comparator, value, rule.resolveThreshold),
  };
}

/** Grouped rules skip spans without a value for the dimension, such as calls without a tenant. */
function usable(rule: CompiledRule, point: SeriesPoint): boolean {
  return (
    (rule.expression.by === null || point.key !== null) && point.count >= rule.spec.min_requests
  );
}

async function sampleThreshold(rule: CompiledRule, context: SampleContext): Promise<RuleSample[]> {
  const windowMs = rule.expression.windowMs!;
  const points = await context.reader.read(rule.expression, {
    projectId: rule.projectId,
    fromUnixMs: context.nowMs - windowMs,
    toUnixMs: context.nowMs,
  });
  return points
    .filter((point) => usable(rule, point))
    .map((point) => thresholdSample(rule, point.key, point.value));
}

async function sampleBaseline(rule: CompiledRule, context: SampleContext): Promise<RuleSample[]> {
  const { current, baseline } = await readWithBaseline(rule, context);
  const compareMode = rule.spec.baseline?.compare ?? 'ratio';
  return current
    .filter((point) => usable(rule, point))
    .flatMap((point) => {
      const base = baseline.get(point.key);
      if (base === undefined || base.count < rule.spec.min_requests) return [];
      if (compareMode === 'ratio' && base.value <= 0) return [];
      const value = compareMode === 'ratio' ? point.value / base.value : point.value - base.value;
      return [thresholdSample(rule, point.key, value)];
    });
}

/**
 * Share of the baseline window that stored data must cover. A baseline that
 * starts before the first stored span is cut to the data, so rates are not
 * diluted on a fresh install, and is skipped when the data covers less than this.
 */
export const MIN_BASELINE_COVERAGE = 0.25;

/** Reads the current window and the baseline window that ends where the current one starts. */
async function readWithBaseline(
  rule: CompiledRule,
  context: SampleContext,
): Promise<{ current: SeriesPoint[]; baseline: Map<string | null, SeriesPoint> }> {
  const windowMs = rule.expression.windowMs!;
  const currentFromMs = context.nowMs - windowMs;
  const dataStartMs = context.dataStartMs.get(rule.projectId) ?? context.nowMs;
  const alignmentMs = baselineAlignmentMs(rule.baselineMs);
  const baselineToMs = Math.floor(currentFromMs / alignmentMs) * alignmentMs;
  const baselineFromMs = Math.max(baselineToMs - rule.baselineMs, dataStartMs);
  if (baselineToMs - baselineFromMs < rule.baselineMs * MIN_BASELINE_COVERAGE)
    return { current: [], baseline: new Map() };
  const current = await context.reader.read(rule.expression, {
    projectId: rule.projectId,
    fromUnixMs: currentFromMs,
    toUnixMs: context.nowMs,
  });
  const baselinePoints = await context.reader.readPast(rule.expression, {
    projectId: rule.projectId,
    fromUnixMs: baselineFromMs,
    toUnixMs: baselineToMs,
  });
  return { current, baseline: new Map(baselinePoints.map((point) => [point.key, point])) };
}

/** A group that sent at least `min_requests` calls in the baseline and none in the window. */
async function sampleNoData(rule: CompiledRule, context: SampleContext): Promise<RuleSample[]> {
  const { current, baseline } = await readWithBaseline(rule, context);
  const currentByKey = new Map(current.map((point) => [point.key, point]));
  const samples: RuleSample[] = [];
  for (const base of baseline.values()) {
    if (base.key === null && rule.expression.by !== null) continue;
    if (base.count < Math.max(1, rule.spec.min_requests)) continue;
    const calls = currentByKey.get(base.key)?.count ?? 0;
    samples.push(thresholdSample(rule, base.key, calls));
  }
  return samples;
}

async function sampleBudget(rule: CompiledRule, context: SampleContext): Promise<RuleSample[]> {
  if (Object.keys(context.budgets.list(rule.projectId)).length === 0) return [];
  const windowMs = rule.expression.windowMs!;
  const points = await context.reader.read(rule.expression, {
    projectId: rule.projectId,
    fromUnixMs: context.nowMs - windowMs,
    toUnixMs: context.nowMs,
  });
  return points
    .filter((point) => usable(rule, point))
    .flatMap((point) => {
      const budgetUsd = point.key === null ? null : context.budgets.get(rule.projectId, point.key);
      if (budgetUsd === null) return [];
      return [thresholdSample(rule, point.key, point.value / budgetUsd)];
    });
}

interface BurnResult {
  burnRate: number;
  factor: number;
  /** The smaller burn of the pair divided by its factor: above 1 means both windows burn too fast. */
  score: number;
}

/**
 * Multi-window, multi-burn-rate SLO alarm. A group fires when, for any pair, the
 * bad-call ratio over both the long and the short window exceeds factor times the
 * error budget; the long window needs `min_requests` calls (low-traffic guard).
 */
async function sampleSloBurn(rule: CompiledRule, context: SampleContext): Promise<RuleSample[]> {
  const budget = 1 - (rule.spec.slo?.objective ?? 0.99);
  const pairs = BURN_WINDOW_SETS[rule.spec.slo?.windows ?? 'page'];
  const windowsMs = pairs.flatMap((pair) => [pair.longMs, pair.shortMs]);
  const groups = await context.reader.badCallWindows(
    rule.projectId,
    rule.expression,
    context.nowMs,
    windowsMs,
  );
  const samples: RuleSample[] = [];
  for (const group of groups) {
    if (rule.expression.by !== null && group.key === null) continue;
    const best = bestBurn(rule, pairs, group.windows, budget);
    if (best === null) continue;
    samples.push({
      labels: groupLabels(rule, group.key),
      value: best.burnRate,
      threshold: best.factor,
      fires: compare('>', best.score, rule.threshold),
      holds: compare('>', best.score, rule.resolveThreshold),
    });
  }
  return samples;
}

function bestBurn(
  rule: CompiledRule,
  pairs: readonly BurnWindowPair[],
  windows: readonly { requests: number; bad: number }[],
  budget: number,
): BurnResult | null {
  let best: BurnResult | null = null;
  pairs.forEach((pair, index) => {
    const long = windows[2 * index]!;
    const short = windows[2 * index + 1]!;
    if (long.requests < rule.spec.min_requests || long.requests === 0) return;
    const shortRatio = short.requests === 0 ? 0 : short.bad / short.requests;
    const burnRate = Math.min(long.bad / long.requests, shortRatio) / budget;
    const result = { burnRate, factor: pair.factor, score: burnRate / pair.factor };
    if (best === null || result.score > best.score) best = result;
  });
  return best;
}
