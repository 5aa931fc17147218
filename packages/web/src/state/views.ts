/** The pages of the dashboard app, chosen by `?view=`. */
export const VIEWS = ['dashboard', 'traces', 'rules', 'experiments', 'registry'] as const;

export type View = (typeof VIEWS)[number];

export function isView(value: string): value is View {
  return (VIEWS as readonly string[]).includes(value);
}

/** Trace search fields beyond the time range and the filters. */
export interface TraceSearchFields {
  status: 'ok' | 'error' | null;
  minDurationMs: number | null;
  text: string;
}

export const EMPTY_TRACE_SEARCH: Readonly<TraceSearchFields> = Object.freeze({
  status: null,
  minDurationMs: null,
  text: '',
});

const TRACE_ID = /^[0-9a-f]{32}$/;
const RULE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isTraceId(value: string): boolean {
  return TRACE_ID.test(value);
}

export function isRuleId(value: string): boolean {
  return RULE_ID.test(value);
}

/** Reads the status, minimum duration and text of a trace search from a query string. */
export function parseTraceSearchFields(params: URLSearchParams): TraceSearchFields {
  const status = params.get('status');
  const minDurationMs = Number(params.get('minDurationMs') ?? '');
  return {
    status: status === 'ok' || status === 'error' ? status : null,
    minDurationMs:
      params.get('minDurationMs') !== null && Number.isFinite(minDurationMs) && minDurationMs >= 0
        ? minDurationMs
        : null,
    text: (params.get('text') ?? '').slice(0, 200),
  };
}

/** Writes the non-empty trace search fields into `params`. */
export function writeTraceSearchFields(params: URLSearchParams, fields: TraceSearchFields): void {
  if (fields.status !== null) params.set('status', fields.status);
  if (fields.minDurationMs !== null) params.set('minDurationMs', String(fields.minDurationMs));
  if (fields.text.trim() !== '') params.set('text', fields.text.trim());
}
