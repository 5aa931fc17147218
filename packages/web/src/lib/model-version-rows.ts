import type { ScoreAggregate, SummaryGroup } from '../api/types.ts';
import { registeredModelLabel } from './registered-model-label.ts';

/** One row of the version comparison: live measures and score means of one version. */
export interface ModelVersionRow {
  key: string | null;
  label: string;
  stage: string | null;
  requests: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  costUsd: number | null;
  /** Mean of each numeric score by score name; names without a numeric mean are absent. */
  scoreMeans: Record<string, number>;
}

/** The comparison table: rows in key order (calls without a version last) and the score names. */
export interface ModelVersionTable {
  rows: ModelVersionRow[];
  scoreNames: string[];
}

/** Joins the summary and the score summary grouped by `registeredModel` into table rows. */
export function buildModelVersionTable(
  groups: readonly SummaryGroup[],
  scores: readonly ScoreAggregate[],
): ModelVersionTable {
  const names = new Set<string>();
  const means = new Map<string | null, Record<string, number>>();
  for (const score of scores) {
    if (score.mean === null) continue;
    names.add(score.name);
    means.set(score.key, { ...means.get(score.key), [score.name]: score.mean });
  }
  const rows = groups.map((group): ModelVersionRow => ({
    key: group.key,
    label: registeredModelLabel(group.key, group.registry),
    stage: group.registry?.stage ?? null,
    requests: group.requests,
    errors: group.errors,
    p50Ms: group.latencyMs.p50,
    p95Ms: group.latencyMs.p95,
    costUsd: group.costUsd,
    scoreMeans: means.get(group.key) ?? {},
  }));
  rows.sort(compareKeys);
  return { rows, scoreNames: [...names].sort((a, b) => a.localeCompare(b)) };
}

function compareKeys(a: ModelVersionRow, b: ModelVersionRow): number {
  if (a.key === null) return b.key === null ? 0 : 1;
  if (b.key === null) return -1;
  return a.key.localeCompare(b.key, undefined, { numeric: true });
}
