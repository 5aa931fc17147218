import { InvalidRequestError } from '../errors.ts';
import type { TraceSearch, TraceStatusFilter } from '../store/store.ts';
import { parseLimit, parseLlmQuery, type QueryString } from './params.ts';

/** Query parameters of `GET /api/v1/traces` besides the window and the filters. */
export const TRACE_SEARCH_PARAMS = ['limit', 'status', 'minDurationMs', 'text'] as const;

const STATUS_VALUES: readonly TraceStatusFilter[] = ['ok', 'error'];
const MAX_TEXT_LENGTH = 200;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

function singleValue(query: QueryString, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) {
    throw new InvalidRequestError(
      `query parameter "${name}" was given ${value.length} times; give it once`,
    );
  }
  return value === '' ? undefined : value;
}

function parseStatus(query: QueryString): TraceStatusFilter | null {
  const raw = singleValue(query, 'status');
  if (raw === undefined) return null;
  if (!(STATUS_VALUES as readonly string[]).includes(raw)) {
    throw new InvalidRequestError(
      `query parameter "status" has the invalid value "${raw}"; allowed values: ${STATUS_VALUES.join(', ')}`,
    );
  }
  return raw as TraceStatusFilter;
}

function parseMinDurationMs(query: QueryString): number | null {
  const raw = singleValue(query, 'minDurationMs');
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value)) {
    throw new InvalidRequestError(
      `query parameter "minDurationMs" has the invalid value "${raw}"; use a non-negative number of milliseconds such as 2000`,
    );
  }
  return value;
}

function parseText(query: QueryString): string | null {
  const raw = singleValue(query, 'text');
  if (raw === undefined) return null;
  const trimmed = raw.trim();
  if (trimmed.length > MAX_TEXT_LENGTH) {
    throw new InvalidRequestError(
      `query parameter "text" is ${trimmed.length} characters long; use at most ${MAX_TEXT_LENGTH}`,
    );
  }
  return trimmed === '' ? null : trimmed;
}

/** Parses the trace search: window, filters, status, minimum duration, text and limit. */
export function parseTraceSearch(
  query: QueryString,
  nowMs: number,
  projectId: string,
): TraceSearch {
  return {
    ...parseLlmQuery(query, nowMs, projectId),
    status: parseStatus(query),
    minDurationMs: parseMinDurationMs(query),
    text: parseText(query),
    limit: parseLimit(query, DEFAULT_LIMIT, MAX_LIMIT),
  };
}
