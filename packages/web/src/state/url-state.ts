import {
  EMPTY_TRACKING_STATE,
  parseTrackingState,
  writeTrackingState,
  type TrackingUrlState,
} from '../tracking/tracking-url-state.ts';
import { parseCostBreakdown, writeCostBreakdown, type CostBreakdown } from './cost-breakdown.ts';
import { FILTER_NAMES, FILTER_URL_PARAMS, type Filters } from './filters.ts';
import { isRefreshInterval, type RefreshInterval } from './refresh.ts';
import { isPanelId, type PanelId } from './rows.ts';
import {
  DEFAULT_RANGE_PRESET,
  isRangePreset,
  parseTimeBoundMs,
  type TimeRangeSpec,
} from './time-range.ts';
import {
  EMPTY_TRACE_SEARCH,
  isRuleId,
  isTraceId,
  isView,
  parseTraceSearchFields,
  writeTraceSearchFields,
  type TraceSearchFields,
  type View,
} from './views.ts';

/** Everything a copied dashboard link restores. */
export interface UrlState {
  view: View;
  range: TimeRangeSpec;
  filters: Filters;
  /** The panel a link points at: its row opens and the page scrolls to it. */
  panel: PanelId | null;
  /** The dimension of the cost breakdown table. */
  costBreakdown: CostBreakdown;
  refresh: RefreshInterval;
  /** The alert rule shown on the rules page. */
  rule: string | null;
  /** The trace opened in the trace explorer. */
  trace: string | null;
  traceSearch: TraceSearchFields;
  /** The experiment and registry pages' fields. */
  tracking: TrackingUrlState;
}

export const DEFAULT_URL_STATE: Readonly<UrlState> = Object.freeze({
  view: 'dashboard' as const,
  range: { kind: 'preset' as const, preset: DEFAULT_RANGE_PRESET },
  filters: {},
  panel: null,
  costBreakdown: 'tenant' as const,
  refresh: 'off' as const,
  rule: null,
  trace: null,
  traceSearch: EMPTY_TRACE_SEARCH,
  tracking: EMPTY_TRACKING_STATE,
});

const RULE_HASH = /^#\/alerts\/rules(?:\/([^/?#]+))?\/?$/;

/**
 * Reads the state from a query string such as `?range=6h&model=gpt-4o`, and from a hash
 * of the form `#/alerts/rules/<id>`. Unknown or malformed values fall back to the
 * defaults, so an old link still opens.
 */
export function parseUrlState(search: string, hash = ''): UrlState {
  const params = new URLSearchParams(search);
  const panel = params.get('panel') ?? '';
  const refresh = params.get('refresh') ?? '';
  const view = params.get('view') ?? '';
  const rule = params.get('rule') ?? '';
  const trace = (params.get('trace') ?? '').toLowerCase();
  const state: UrlState = {
    view: isView(view) ? view : isTraceId(trace) ? 'traces' : DEFAULT_URL_STATE.view,
    range: parseRange(params),
    filters: parseFilters(params),
    panel: isPanelId(panel) ? panel : null,
    costBreakdown: parseCostBreakdown(params),
    refresh: isRefreshInterval(refresh) ? refresh : DEFAULT_URL_STATE.refresh,
    rule: isRuleId(rule) ? rule : null,
    trace: isTraceId(trace) ? trace : null,
    traceSearch: parseTraceSearchFields(params),
    tracking: parseTrackingState(params),
  };
  return applyRuleHash(state, hash);
}

function applyRuleHash(state: UrlState, hash: string): UrlState {
  const match = RULE_HASH.exec(hash);
  if (match === null) return state;
  const rule = decodeURIComponent(match[1] ?? '');
  return { ...state, view: 'rules', rule: isRuleId(rule) ? rule : null };
}

/** Writes the state as a query string without the leading `?`, leaving defaults out. */
export function serializeUrlState(state: UrlState): string {
  const params = new URLSearchParams();
  if (state.view !== DEFAULT_URL_STATE.view) {
    params.set('view', state.view);
  }
  if (state.range.kind === 'absolute') {
    params.set('from', new Date(state.range.fromMs).toISOString());
    params.set('to', new Date(state.range.toMs).toISOString());
  } else if (state.range.preset !== DEFAULT_RANGE_PRESET) {
    params.set('range', state.range.preset);
  }
  for (const name of FILTER_NAMES) {
    const value = state.filters[name];
    if (value !== undefined) {
      params.set(FILTER_URL_PARAMS[name], value);
    }
  }
  if (state.panel !== null) {
    params.set('panel', state.panel);
  }
  if (state.view === 'dashboard') {
    writeCostBreakdown(params, state.costBreakdown);
  }
  if (state.refresh !== DEFAULT_URL_STATE.refresh) {
    params.set('refresh', state.refresh);
  }
  if (state.view === 'rules' && state.rule !== null) {
    params.set('rule', state.rule);
  }
  if (state.view === 'traces') {
    writeTraceSearchFields(params, state.traceSearch);
    if (state.trace !== null) params.set('trace', state.trace);
  }
  if (state.view === 'experiments' || state.view === 'registry') {
    writeTrackingState(params, state.tracking);
  }
  return params.toString();
}

function parseRange(params: URLSearchParams): TimeRangeSpec {
  const fromMs = parseTimeBoundMs(params.get('from') ?? '');
  const toMs = parseTimeBoundMs(params.get('to') ?? '');
  if (fromMs !== null && toMs !== null && fromMs < toMs) {
    return { kind: 'absolute', fromMs, toMs };
  }
  const preset = params.get('range') ?? '';
  return { kind: 'preset', preset: isRangePreset(preset) ? preset : DEFAULT_RANGE_PRESET };
}

function parseFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(FILTER_URL_PARAMS[name]);
    if (value !== null && value !== '') {
      filters[name] = value;
    }
  }
  return filters;
}
