import type { ResolvedTimeRange } from '../state/time-range.ts';
import { buildScopeQuery, getJson, type QueryScope } from './client.ts';
import type {
  BudgetsResponse,
  GroupBy,
  InflightResponse,
  PanelsResponse,
  RulesResponse,
  ScoreSummaryResponse,
  ScoreTimeseriesResponse,
  TtftResponse,
} from './types.ts';

export function fetchPanels(signal: AbortSignal): Promise<PanelsResponse> {
  return getJson('api/v1/panels', signal);
}

export function fetchRules(signal: AbortSignal): Promise<RulesResponse> {
  return getJson('api/v1/alerts/rules', signal);
}

export function fetchBudgets(signal: AbortSignal): Promise<BudgetsResponse> {
  return getJson('api/v1/budgets', signal);
}

export function fetchScoreTimeseries(
  scope: QueryScope,
  signal: AbortSignal,
): Promise<ScoreTimeseriesResponse> {
  return getJson(`api/v1/scores/timeseries?${buildScopeQuery(scope)}`, signal);
}

/** Fetches score statistics per name over `baseline`, the window the drift band comes from. */
export function fetchScoreBaseline(
  scope: QueryScope,
  baseline: ResolvedTimeRange,
  signal: AbortSignal,
): Promise<ScoreSummaryResponse> {
  const query = buildScopeQuery({ range: baseline, filters: scope.filters });
  return getJson(`api/v1/scores/summary?${query}`, signal);
}

/** Fetches score statistics per name and `groupBy` value over the window. */
export function fetchScoreSummary(
  scope: QueryScope,
  groupBy: GroupBy,
  signal: AbortSignal,
): Promise<ScoreSummaryResponse> {
  return getJson(`api/v1/scores/summary?${buildScopeQuery(scope, { groupBy })}`, signal);
}

export function fetchInflight(scope: QueryScope, signal: AbortSignal): Promise<InflightResponse> {
  return getJson(`api/v1/llm/inflight?${buildScopeQuery(scope)}`, signal);
}

export function fetchTtft(scope: QueryScope, signal: AbortSignal): Promise<TtftResponse> {
  return getJson(`api/v1/llm/ttft?${buildScopeQuery(scope, { groupBy: 'model' })}`, signal);
}
