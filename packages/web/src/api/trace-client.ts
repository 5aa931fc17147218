import type { TraceSearchFields } from '../state/views.ts';
import { buildScopeQuery, getJson, type QueryScope } from './client.ts';
import type { TraceListResponse, TraceResponse } from './types.ts';

/** Builds the `/api/v1/traces` query of a search. */
export function buildTraceSearchQuery(scope: QueryScope, fields: TraceSearchFields): string {
  const extra: Record<string, string> = { limit: '100' };
  if (fields.status !== null) extra.status = fields.status;
  if (fields.minDurationMs !== null) extra.minDurationMs = String(fields.minDurationMs);
  if (fields.text.trim() !== '') extra.text = fields.text.trim();
  return buildScopeQuery(scope, extra);
}

export function fetchTraces(
  scope: QueryScope,
  fields: TraceSearchFields,
  signal: AbortSignal,
): Promise<TraceListResponse> {
  return getJson(`api/v1/traces?${buildTraceSearchQuery(scope, fields)}`, signal);
}

export function fetchTrace(traceId: string, signal: AbortSignal): Promise<TraceResponse> {
  return getJson(`api/v1/traces/${encodeURIComponent(traceId)}`, signal);
}
