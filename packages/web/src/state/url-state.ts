import { FILTER_NAMES, type Filters } from './filters.ts';
import { isRefreshInterval, type RefreshInterval } from './refresh.ts';
import { isRowId, type RowId } from './rows.ts';
import {
  DEFAULT_RANGE_PRESET,
  isRangePreset,
  parseTimeBoundMs,
  type TimeRangeSpec,
} from './time-range.ts';

/** Everything a copied dashboard link restores. */
export interface UrlState {
  range: TimeRangeSpec;
  filters: Filters;
  /** The row opened last, so a shared link opens it too. */
  panel: RowId | null;
  refresh: RefreshInterval;
}

export const DEFAULT_URL_STATE: Readonly<UrlState> = Object.freeze({
  range: { kind: 'preset' as const, preset: DEFAULT_RANGE_PRESET },
  filters: {},
  panel: null,
  refresh: 'off',
});

/**
 * Reads the dashboard state from a query string such as `?range=6h&model=gpt-4o`.
 * Unknown or malformed values fall back to the defaults, so an old link still opens.
 */
export function parseUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const panel = params.get('panel') ?? '';
  const refresh = params.get('refresh') ?? '';
  return {
    range: parseRange(params),
    filters: parseFilters(params),
    panel: isRowId(panel) ? panel : null,
    refresh: isRefreshInterval(refresh) ? refresh : DEFAULT_URL_STATE.refresh,
  };
}

/** Writes the state as a query string without the leading `?`, leaving defaults out. */
export function serializeUrlState(state: UrlState): string {
  const params = new URLSearchParams();
  if (state.range.kind === 'absolute') {
    params.set('from', new Date(state.range.fromMs).toISOString());
    params.set('to', new Date(state.range.toMs).toISOString());
  } else if (state.range.preset !== DEFAULT_RANGE_PRESET) {
    params.set('range', state.range.preset);
  }
  for (const name of FILTER_NAMES) {
    const value = state.filters[name];
    if (value !== undefined) {
      params.set(name, value);
    }
  }
  if (state.panel !== null) {
    params.set('panel', state.panel);
  }
  if (state.refresh !== DEFAULT_URL_STATE.refresh) {
    params.set('refresh', state.refresh);
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
    const value = params.get(name);
    if (value !== null && value !== '') {
      filters[name] = value;
    }
  }
  return filters;
}
