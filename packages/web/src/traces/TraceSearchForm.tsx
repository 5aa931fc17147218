import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { TraceSearchFields } from '../state/views.ts';

export interface TraceSearchFormProps {
  fields: TraceSearchFields;
  onSearch: (fields: TraceSearchFields) => void;
}

/** Edits the status, minimum duration and text of a trace search; time and filters sit in the header. */
export function TraceSearchForm(props: TraceSearchFormProps): JSX.Element {
  const [text, setText] = useState(props.fields.text);
  const [minDuration, setMinDuration] = useState(
    props.fields.minDurationMs === null ? '' : String(props.fields.minDurationMs),
  );
  const [status, setStatus] = useState(props.fields.status ?? '');
  const minDurationMs = minDuration.trim() === '' ? null : Number(minDuration);
  const durationInvalid =
    minDurationMs !== null && !(Number.isFinite(minDurationMs) && minDurationMs >= 0);

  const submit = (event: Event): void => {
    event.preventDefault();
    if (durationInvalid) return;
    props.onSearch({
      status: status === 'ok' || status === 'error' ? status : null,
      minDurationMs,
      text: text.trim(),
    });
  };

  return (
    <form class="trace-search" onSubmit={submit} data-testid="trace-search">
      <div class="control">
        <label class="control-label" for="trace-text">
          Text in span names and attributes
        </label>
        <input
          id="trace-text"
          type="search"
          maxLength={200}
          placeholder="e.g. refund, rag.pipeline"
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
      </div>
      <div class="control">
        <label class="control-label" for="trace-status">
          Status
        </label>
        <select
          id="trace-status"
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
        >
          <option value="">Any</option>
          <option value="ok">OK</option>
          <option value="error">Error</option>
        </select>
      </div>
      <div class="control">
        <label class="control-label" for="trace-min-duration">
          Minimum duration (ms)
        </label>
        <input
          id="trace-min-duration"
          type="number"
          min={0}
          step="any"
          value={minDuration}
          aria-invalid={durationInvalid}
          onInput={(event) => setMinDuration(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="primary-button" disabled={durationInvalid}>
        Search
      </button>
    </form>
  );
}
