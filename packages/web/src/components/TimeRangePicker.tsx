import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { fromDatetimeLocalValue, toDatetimeLocalValue } from '../lib/datetime-local.ts';
import {
  isRangePreset,
  RANGE_PRESET_LABELS,
  RANGE_PRESETS,
  type ResolvedTimeRange,
  type TimeRangeSpec,
} from '../state/time-range.ts';

export interface TimeRangePickerProps {
  range: TimeRangeSpec;
  /** The bounds currently shown, used to prefill the custom inputs. */
  resolved: ResolvedTimeRange;
  onChange: (range: TimeRangeSpec) => void;
}

const CUSTOM = 'custom';

/** Renders the preset menu and, for a custom range, from/to inputs applied on submit. */
export function TimeRangePicker(props: TimeRangePickerProps): JSX.Element {
  const [editingCustom, setEditingCustom] = useState(props.range.kind === 'absolute');
  const selected = props.range.kind === 'preset' && !editingCustom ? props.range.preset : CUSTOM;

  const onSelect = (value: string): void => {
    if (isRangePreset(value)) {
      setEditingCustom(false);
      props.onChange({ kind: 'preset', preset: value });
    } else {
      setEditingCustom(true);
    }
  };

  return (
    <div class="control time-range">
      <label class="control-label" for="time-range">
        Time range
      </label>
      <div class="control-inline">
        <select
          id="time-range"
          value={selected}
          onChange={(event) => onSelect(event.currentTarget.value)}
        >
          {RANGE_PRESETS.map((preset) => (
            <option key={preset} value={preset}>
              {RANGE_PRESET_LABELS[preset]}
            </option>
          ))}
          <option value={CUSTOM}>Custom…</option>
        </select>
        {selected === CUSTOM && (
          <CustomRangeForm resolved={props.resolved} onChange={props.onChange} />
        )}
      </div>
    </div>
  );
}

function CustomRangeForm(props: Omit<TimeRangePickerProps, 'range'>): JSX.Element {
  const [fromText, setFromText] = useState(toDatetimeLocalValue(props.resolved.fromMs));
  const [toText, setToText] = useState(toDatetimeLocalValue(props.resolved.toMs));
  const fromMs = fromDatetimeLocalValue(fromText);
  const toMs = fromDatetimeLocalValue(toText);
  const problem =
    fromMs === null || toMs === null
      ? 'Enter both dates.'
      : fromMs >= toMs
        ? '"From" must be before "to".'
        : null;

  const onSubmit = (event: Event): void => {
    event.preventDefault();
    if (problem === null && fromMs !== null && toMs !== null) {
      props.onChange({ kind: 'absolute', fromMs, toMs });
    }
  };

  return (
    <form class="custom-range" onSubmit={onSubmit}>
      <input
        aria-label="From"
        type="datetime-local"
        value={fromText}
        onInput={(event) => setFromText(event.currentTarget.value)}
      />
      <span aria-hidden="true">→</span>
      <input
        aria-label="To"
        type="datetime-local"
        value={toText}
        onInput={(event) => setToText(event.currentTarget.value)}
      />
      <button type="submit" disabled={problem !== null} title={problem ?? 'Show this range'}>
        Apply
      </button>
    </form>
  );
}
