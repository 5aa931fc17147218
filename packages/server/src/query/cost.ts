import type { Filters, GroupBy, LlmQuery, Store, SummaryGroup } from '../store/store.ts';
import { summaryFromSpansOrMetrics, type PanelSource } from './panel-source.ts';

const HOUR_MS = 3_600_000;
/** Hours in the 30-day month that the window's run rate is scaled to. */
export const HOURS_PER_MONTH = 720;

/** The summary query the projection reads; the alert evaluator passes its memoized one. */
export type SummarySource = Pick<Store, 'summary'>;

export interface CostOverview {
  totalCostUsd: number;
  unpricedRequests: number;
  /** The window's run rate: priced cost divided by the elapsed hours of the window. */
  hourlyCostUsd: number;
  /** The run rate times 720 hours; a rate, not the projection of the month. */
  runRateMonthlyCostUsd: number;
  /** This calendar month's projection from `costProjection`, made at the window's end. */
  projectedMonthlyCostUsd: number;
  method: string;
  /** The source of the window's cost, chosen as for the summary. */
  source: PanelSource;
}

/** Returns a summary source that reads metrics when a window has no LLM span, as the summary does. */
function spansOrMetricsSummary(store: Store): SummarySource {
  return {
    summary: async (query, groupBy) =>
      (await summaryFromSpansOrMetrics(store, query, groupBy)).data,
  };
}

/**
 * Sums the priced cost of the window and its run rate, and adds the calendar-month
 * projection of `costProjection` for the same filters, made at the window's end or at
 * `nowMs` when the window ends later. Each window reads the cost of its LLM spans, or of
 * the GenAI token metrics when it has no LLM span.
 */
export async function costOverview(
  store: Store,
  query: LlmQuery,
  nowMs: number,
): Promise<CostOverview> {
  const { source, data: groups } = await summaryFromSpansOrMetrics(store, query, 'model');
  let totalCostUsd = 0;
  let unpricedRequests = 0;
  for (const group of groups) {
    totalCostUsd += group.costUsd ?? 0;
    unpricedRequests += group.unpricedRequests;
  }
  const elapsedMs = Math.max(1, Math.min(query.toUnixMs, nowMs) - query.fromUnixMs);
  const hourlyCostUsd = totalCostUsd / (elapsedMs / HOUR_MS);
  const projection = await costProjection(spansOrMetricsSummary(store), {
    projectId: query.projectId,
    filters: query.filters,
    groupBy: null,
    nowMs: Math.min(query.toUnixMs, nowMs),
    budgetOf: () => null,
  });
  return {
    totalCostUsd,
    unpricedRequests,
    hourlyCostUsd,
    runRateMonthlyCostUsd: hourlyCostUsd * HOURS_PER_MONTH,
    projectedMonthlyCostUsd: projection.total.projectedMonthlyCostUsd,
    method: `projected: ${projection.method}; run rate: priced cost in the window divided by its ${(elapsedMs / HOUR_MS).toFixed(2)} elapsed hours, times ${HOURS_PER_MONTH} hours`,
    source,
  };
}

/** Hours in the trailing window whose cost rate the monthly projection extends. */
export const TRAILING_RATE_HOURS = 168;

export interface MonthlyProjectionInput {
  monthToDateCostUsd: number;
  trailingCostUsd: number;
  trailingHours: number;
  remainingHours: number;
}

/** Month-to-date cost plus the trailing hourly cost rate times the hours left in the month. */
export function projectMonthlyCostUsd(input: MonthlyProjectionInput): number {
  const hourlyCostUsd = input.trailingHours > 0 ? input.trailingCostUsd / input.trailingHours : 0;
  return input.monthToDateCostUsd + hourlyCostUsd * input.remainingHours;
}

/** The UTC calendar month that contains `nowMs`, and where `nowMs` sits in it. */
export interface BillingMonth {
  startUnixMs: number;
  endUnixMs: number;
  elapsedHours: number;
  remainingHours: number;
}

export function billingMonthOf(nowMs: number): BillingMonth {
  const now = new Date(nowMs);
  const startUnixMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const endUnixMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return {
    startUnixMs,
    endUnixMs,
    elapsedHours: (nowMs - startUnixMs) / HOUR_MS,
    remainingHours: (endUnixMs - nowMs) / HOUR_MS,
  };
}

export interface CostProjectionGroup {
  key: string | null;
  monthToDateCostUsd: number;
  trailingCostUsd: number;
  /** LLM calls since the month began, priced or not. */
  monthToDateRequests: number;
  /** LLM calls in the trailing 168 hours, priced or not. */
  trailingRequests: number;
  /** Cost per hour over the trailing 168 hours, the rate the projection extends. */
  hourlyCostUsd: number;
  projectedMonthlyCostUsd: number;
  /** Month-to-date calls without a price; their cost is missing from every number above. */
  unpricedRequests: number;
  /** The tenant's monthly budget when grouping by tenant and one is set, else null. */
  budgetUsd: number | null;
  /** Projected monthly cost divided by the budget; null without a budget. */
  projectedBudgetRatio: number | null;
}

export interface CostProjection {
  asOf: string;
  monthStart: string;
  monthEnd: string;
  trailingHours: number;
  remainingHours: number;
  method: string;
  total: CostProjectionGroup;
  groups: CostProjectionGroup[];
}

export interface CostProjectionRequest {
  projectId: string;
  filters: Filters;
  groupBy: GroupBy | null;
  nowMs: number;
  /** Monthly budget of a group key, when grouping by tenant. */
  budgetOf: (key: string | null) => number | null;
}

/**
 * Projects this calendar month's cost (UTC) per group and in total: the priced
 * cost since the month began plus the cost rate of the trailing 168 hours times
 * the hours left in the month.
 */
export async function costProjection(
  store: SummarySource,
  request: CostProjectionRequest,
): Promise<CostProjection> {
  const month = billingMonthOf(request.nowMs);
  const trailingFromMs = request.nowMs - TRAILING_RATE_HOURS * HOUR_MS;
  const groupBy = request.groupBy ?? 'tenant';
  const monthToDate = await store.summary(
    {
      projectId: request.projectId,
      fromUnixMs: month.startUnixMs,
      toUnixMs: request.nowMs,
      filters: request.filters,
    },
    groupBy,
  );
  const trailing = await store.summary(
    {
      projectId: request.projectId,
      fromUnixMs: trailingFromMs,
      toUnixMs: request.nowMs,
      filters: request.filters,
    },
    groupBy,
  );
  const groups = projectGroups(monthToDate, trailing, month.remainingHours, request);
  const total = sumGroups(groups, month.remainingHours);
  return {
    asOf: new Date(request.nowMs).toISOString(),
    monthStart: new Date(month.startUnixMs).toISOString(),
    monthEnd: new Date(month.endUnixMs).toISOString(),
    trailingHours: TRAILING_RATE_HOURS,
    remainingHours: month.remainingHours,
    method: `month-to-date priced cost plus the cost rate of the trailing ${TRAILING_RATE_HOURS} hours times the ${month.remainingHours.toFixed(2)} hours left in the UTC month`,
    total,
    groups: request.groupBy === null ? [] : groups,
  };
}

function projectGroups(
  monthToDate: readonly SummaryGroup[],
  trailing: readonly SummaryGroup[],
  remainingHours: number,
  request: CostProjectionRequest,
): CostProjectionGroup[] {
  const keys = new Set<string | null>([...monthToDate, ...trailing].map((group) => group.key));
  const byKey = (groups: readonly SummaryGroup[], key: string | null) =>
    groups.find((group) => group.key === key);
  return [...keys]
    .map((key) => {
      const current = byKey(monthToDate, key);
      const recent = byKey(trailing, key);
      const parts: ProjectionParts = {
        monthToDateCostUsd: current?.costUsd ?? 0,
        trailingCostUsd: recent?.costUsd ?? 0,
        monthToDateRequests: current?.requests ?? 0,
        trailingRequests: recent?.requests ?? 0,
        unpricedRequests: current?.unpricedRequests ?? 0,
      };
      const budgetUsd = request.groupBy === 'tenant' ? request.budgetOf(key) : null;
      return projectGroup(key, parts, remainingHours, budgetUsd);
    })
    .sort((a, b) => b.projectedMonthlyCostUsd - a.projectedMonthlyCostUsd);
}

/** The sums one projected group is computed from. */
interface ProjectionParts {
  monthToDateCostUsd: number;
  trailingCostUsd: number;
  monthToDateRequests: number;
  trailingRequests: number;
  unpricedRequests: number;
}

function projectGroup(
  key: string | null,
  parts: ProjectionParts,
  remainingHours: number,
  budgetUsd: number | null,
): CostProjectionGroup {
  const projectedMonthlyCostUsd = projectMonthlyCostUsd({
    monthToDateCostUsd: parts.monthToDateCostUsd,
    trailingCostUsd: parts.trailingCostUsd,
    trailingHours: TRAILING_RATE_HOURS,
    remainingHours,
  });
  return {
    key,
    ...parts,
    hourlyCostUsd: parts.trailingCostUsd / TRAILING_RATE_HOURS,
    projectedMonthlyCostUsd,
    budgetUsd,
    projectedBudgetRatio: budgetUsd === null ? null : projectedMonthlyCostUsd / budgetUsd,
  };
}

function sumGroups(
  groups: readonly CostProjectionGroup[],
  remainingHours: number,
): CostProjectionGroup {
  const parts: ProjectionParts = {
    monthToDateCostUsd: 0,
    trailingCostUsd: 0,
    monthToDateRequests: 0,
    trailingRequests: 0,
    unpricedRequests: 0,
  };
  for (const group of groups) {
    parts.monthToDateCostUsd += group.monthToDateCostUsd;
    parts.trailingCostUsd += group.trailingCostUsd;
    parts.monthToDateRequests += group.monthToDateRequests;
    parts.trailingRequests += group.trailingRequests;
    parts.unpricedRequests += group.unpricedRequests;
  }
  return projectGroup(null, parts, remainingHours, null);
}
