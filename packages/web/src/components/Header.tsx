import type { JSX } from 'preact';
import type { DimensionsResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import type { Filters } from '../state/filters.ts';
import type { RefreshInterval } from '../state/refresh.ts';
import type { ResolvedTimeRange, TimeRangeSpec } from '../state/time-range.ts';
import type { View } from '../state/views.ts';
import { FilterSelects } from './FilterSelects.tsx';
import { RefreshSelect } from './RefreshSelect.tsx';
import { TimeRangePicker } from './TimeRangePicker.tsx';
import { ViewTabs } from './ViewTabs.tsx';

export interface HeaderProps {
  view: View;
  onViewChange: (view: View) => void;
  range: TimeRangeSpec;
  resolved: ResolvedTimeRange;
  refresh: RefreshInterval;
  filters: Filters;
  dimensions: QueryResult<DimensionsResponse>;
  loading: boolean;
  onRangeChange: (range: TimeRangeSpec) => void;
  onRefreshChange: (refresh: RefreshInterval) => void;
  onRefreshNow: () => void;
  onFiltersChange: (filters: Filters) => void;
}

const rangeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** Renders the top bar with the product name, time range, refresh and filters. */
export function Header(props: HeaderProps): JSX.Element {
  return (
    <header class="top-bar">
      <div class="brand">
        <h1>Foghorn</h1>
        <span class="brand-range">
          {rangeFormat.format(props.resolved.fromMs)} – {rangeFormat.format(props.resolved.toMs)}
        </span>
        <ViewTabs view={props.view} onChange={props.onViewChange} />
      </div>
      <div class="controls">
        <TimeRangePicker
          range={props.range}
          resolved={props.resolved}
          onChange={props.onRangeChange}
        />
        <RefreshSelect
          refresh={props.refresh}
          loading={props.loading}
          onChange={props.onRefreshChange}
          onRefreshNow={props.onRefreshNow}
        />
      </div>
      <FilterSelects
        filters={props.filters}
        dimensions={props.dimensions}
        onChange={props.onFiltersChange}
      />
    </header>
  );
}
