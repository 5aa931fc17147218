import type { JSX } from 'preact';
import { fetchTraces } from '../api/trace-client.ts';
import type { QueryScope } from '../api/client.ts';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import type { TraceSearchFields } from '../state/views.ts';
import { TraceDetail } from './TraceDetail.tsx';
import { TraceSearchForm } from './TraceSearchForm.tsx';
import { TraceTable } from './TraceTable.tsx';

export interface TracesViewProps {
  scope: QueryScope;
  scopeKey: string;
  fields: TraceSearchFields;
  traceId: string | null;
  onSearch: (fields: TraceSearchFields) => void;
  onSelectTrace: (traceId: string | null) => void;
}

/** Renders the trace explorer: the search form, the matching traces, and the open trace. */
export function TracesView(props: TracesViewProps): JSX.Element {
  const fieldsKey = JSON.stringify(props.fields);
  const traces = useApiQuery(
    (signal) => fetchTraces(props.scope, props.fields, signal),
    `traces:${props.scopeKey}:${fieldsKey}`,
  );
  const list = traces.data?.traces ?? [];
  const state =
    traces.error !== undefined
      ? 'error'
      : traces.data === undefined
        ? 'loading'
        : list.length === 0
          ? 'empty'
          : 'ready';
  return (
    <div class="traces-view">
      <TraceSearchForm key={fieldsKey} fields={props.fields} onSearch={props.onSearch} />
      {props.traceId !== null && (
        <TraceDetail traceId={props.traceId} onClose={() => props.onSelectTrace(null)} />
      )}
      <section
        class="panel"
        data-panel="traces"
        data-state={state}
        data-trace-count={String(list.length)}
      >
        <header class="panel-header">
          <div class="panel-titles">
            <h2 class="panel-title">Traces</h2>
            <p class="panel-description">
              Newest first, at most 100. A trace matches when one of its spans passes every filter.
            </p>
          </div>
        </header>
        {state === 'error' && (
          <p class="panel-message panel-error-message" role="alert">
            {traces.error?.message}
          </p>
        )}
        {state === 'loading' && <p class="panel-message">Loading…</p>}
        {state === 'empty' && (
          <p class="panel-message">
            No traces match in this time range. Widen the range or clear a filter.
          </p>
        )}
        {state === 'ready' && (
          <TraceTable
            traces={list}
            selectedTraceId={props.traceId}
            onSelect={props.onSelectTrace}
          />
        )}
      </section>
    </div>
  );
}
