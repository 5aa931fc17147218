import type { JSX } from 'preact';
import type { DimensionsResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import {
  DIMENSION_FIELD,
  FILTER_LABELS,
  FILTER_NAMES,
  type FilterName,
  type Filters,
} from '../state/filters.ts';

export interface FilterSelectsProps {
  filters: Filters;
  dimensions: QueryResult<DimensionsResponse>;
  onChange: (filters: Filters) => void;
}

const ALL = '';

/** Renders one menu per filter, listing the values seen in the window. */
export function FilterSelects(props: FilterSelectsProps): JSX.Element {
  const setFilter = (name: FilterName, value: string): void => {
    const next: Filters = { ...props.filters };
    if (value === ALL) {
      delete next[name];
    } else {
      next[name] = value;
    }
    props.onChange(next);
  };

  return (
    <div class="filters">
      {FILTER_NAMES.map((name) => (
        <div class="control" key={name}>
          <label class="control-label" for={`filter-${name}`}>
            {FILTER_LABELS[name]}
          </label>
          <select
            id={`filter-${name}`}
            class={props.filters[name] === undefined ? undefined : 'filter-active'}
            value={props.filters[name] ?? ALL}
            onChange={(event) => setFilter(name, event.currentTarget.value)}
          >
            <option value={ALL}>All</option>
            {filterOptions(props, name).map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
      ))}
      {props.dimensions.error !== undefined && (
        <p class="filters-error" role="alert">
          Filter values failed to load: {props.dimensions.error.message}
        </p>
      )}
    </div>
  );
}

/** Lists the known values, keeping a selected value that the window no longer contains. */
function filterOptions(props: FilterSelectsProps, name: FilterName): string[] {
  const known = (props.dimensions.data?.[DIMENSION_FIELD[name]] ?? []).filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const selected = props.filters[name];
  const values = selected === undefined || known.includes(selected) ? known : [selected, ...known];
  return [...values].sort((a, b) => a.localeCompare(b));
}
