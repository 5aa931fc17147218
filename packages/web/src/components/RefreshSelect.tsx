import type { JSX } from 'preact';
import {
  isRefreshInterval,
  REFRESH_INTERVALS,
  REFRESH_LABELS,
  type RefreshInterval,
} from '../state/refresh.ts';

export interface RefreshSelectProps {
  refresh: RefreshInterval;
  loading: boolean;
  onChange: (refresh: RefreshInterval) => void;
  onRefreshNow: () => void;
}

/** Renders the auto-refresh interval menu and a button that refreshes at once. */
export function RefreshSelect(props: RefreshSelectProps): JSX.Element {
  return (
    <div class="control refresh">
      <label class="control-label" for="auto-refresh">
        Auto-refresh
      </label>
      <div class="control-inline">
        <select
          id="auto-refresh"
          value={props.refresh}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (isRefreshInterval(value)) {
              props.onChange(value);
            }
          }}
        >
          {REFRESH_INTERVALS.map((interval) => (
            <option key={interval} value={interval}>
              {REFRESH_LABELS[interval]}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="refresh-now"
          onClick={props.onRefreshNow}
          title="Refresh now"
          aria-label="Refresh now"
        >
          <span class={props.loading ? 'spin' : undefined} aria-hidden="true">
            ⟳
          </span>
        </button>
      </div>
    </div>
  );
}
