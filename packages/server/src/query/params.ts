import { InvalidRequestError } from '../errors.ts';
import {
  FILTER_NAMES,
  GROUP_BY_VALUES,
  type Filters,
  type GroupBy,
  type LlmQuery,
} from '../store/store.ts';

const HOUR_MS = 3_600_000;
const MAX_POINTS = 2_000;
const DEFAULT_POINTS = 120;
const NICE_STEPS_MS = [
  1_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

export type QueryString = Record<string, string | string[] | undefined>;

/** Rejects parameters outside `allowed`, naming the parameter and the allowed ones. */
export function assertKnownParams(query: QueryString, allowed: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name)) {
      throw new InvalidRequestError(
        `unknown query parameter "${name}"; allowed parameters: ${allowed.join(', ')}`,
      );
    }
  }
}

function single(query: QueryString, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) {
    throw new InvalidRequestError(
      `query parameter "${name}" was given ${value.length} times; give it once`,
    );
  }
  return value;
}

/** Parses RFC 3339 or Unix milliseconds. */
export function parseTime(name: string, raw: string): number {
  if (/^\d{1,16}$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(ms)) {
    throw new InvalidRequestError(
      `query parameter "${name}" has the invalid time "${raw}"; use RFC 3339 (2026-01-31T12:00:00Z) or Unix milliseconds`,
    );
  }
  return ms;
}

/** Reads `from`, `to` (default: the last hour) and the filters of a query over `projectId`. */
export function parseLlmQuery(query: QueryString, nowMs: number, projectId: string): LlmQuery {
  const rawTo = single(query, 'to');
  const rawFrom = single(query, 'from');
  const toUnixMs = rawTo === undefined ? nowMs : parseTime('to', rawTo);
  const fromUnixMs = rawFrom === undefined ? toUnixMs - HOUR_MS : parseTime('from', rawFrom);
  if (fromUnixMs >= toUnixMs) {
    throw new InvalidRequestError(
      `query parameter "from" (${new Date(fromUnixMs).toISOString()}) must be before "to" (${new Date(toUnixMs).toISOString()})`,
    );
  }
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = single(query, name);
    if (value !== undefined && value !== '') filters[name] = value;
  }
  return { projectId, fromUnixMs, toUnixMs, filters };
}

export function parseGroupBy(query: QueryString, required: boolean): GroupBy | null {
  const raw = single(query, 'groupBy');
  if (raw === undefined || raw === '') {
    if (!required) return null;
    throw new InvalidRequestError(
      `query parameter "groupBy" is missing; allowed values: ${GROUP_BY_VALUES.join(', ')}`,
    );
  }
  if (!(GROUP_BY_VALUES as readonly string[]).includes(raw)) {
    throw new InvalidRequestError(
      `query parameter "groupBy" has the invalid value "${raw}"; allowed values: ${GROUP_BY_VALUES.join(', ')}`,
    );
  }
  return raw as GroupBy;
}

/** Reads `stepMs`, or picks a round step giving about 120 buckets. */
export function parseStepMs(query: QueryString, windowMs: number): number {
  const raw = single(query, 'stepMs');
  if (raw === undefined || raw === '') {
    const target = windowMs / DEFAULT_POINTS;
    return NICE_STEPS_MS.find((step) => step >= target) ?? NICE_STEPS_MS[NICE_STEPS_MS.length - 1]!;
  }
  const stepMs = Number(raw);
  if (!Number.isInteger(stepMs) || stepMs < 1000) {
    throw new InvalidRequestError(
      `query parameter "stepMs" has the invalid value "${raw}"; use an integer of at least 1000`,
    );
  }
  if (windowMs / stepMs > MAX_POINTS) {
    throw new InvalidRequestError(
      `query parameter "stepMs" = ${stepMs} gives more than ${MAX_POINTS} buckets for this window; use at least ${Math.ceil(windowMs / MAX_POINTS)}`,
    );
  }
  return stepMs;
}

export function parseLimit(query: QueryString, defaultLimit: number, maxLimit: number): number {
  const raw = single(query, 'limit');
  if (raw === undefined || raw === '') return defaultLimit;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new InvalidRequestError(
      `query parameter "limit" has the invalid value "${raw}"; use an integer from 1 to ${maxLimit}`,
    );
  }
  return limit;
}

export const WINDOW_PARAMS = ['from', 'to', ...FILTER_NAMES] as const;
