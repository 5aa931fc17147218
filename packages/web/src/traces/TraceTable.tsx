import type { JSX } from 'preact';
import type { TraceListItem } from '../api/types.ts';
import { formatCompact, formatCount, formatDurationMs, formatUsd } from '../lib/format.ts';

export interface TraceTableProps {
  traces: TraceListItem[];
  selectedTraceId: string | null;
  onSelect: (traceId: string) => void;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Lists traces, newest first; a click opens the trace. */
export function TraceTable(props: TraceTableProps): JSX.Element {
  return (
    <table class="data-table trace-table">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Root span</th>
          <th scope="col">Service</th>
          <th scope="col">Duration</th>
          <th scope="col">Spans</th>
          <th scope="col">LLM calls</th>
          <th scope="col">Errors</th>
          <th scope="col">Cost</th>
          <th scope="col">Tokens in / out</th>
        </tr>
      </thead>
      <tbody>
        {props.traces.map((trace) => (
          <tr
            key={trace.traceId}
            class={`trace-row${trace.traceId === props.selectedTraceId ? ' selected' : ''}${trace.errorCount > 0 ? ' trace-failed' : ''}`}
            data-trace-id={trace.traceId}
            data-root-name={trace.rootName ?? ''}
            onClick={() => props.onSelect(trace.traceId)}
          >
            <td>{timeFormat.format(trace.startTimeUnixMs)}</td>
            <th scope="row">
              <a
                href={`?view=traces&trace=${trace.traceId}`}
                onClick={(event) => {
                  event.preventDefault();
                }}
              >
                {trace.rootName ?? '(no root span)'}
              </a>
            </th>
            <td>{trace.serviceName ?? '—'}</td>
            <td>{formatDurationMs(trace.durationMs)}</td>
            <td>{formatCount(trace.spanCount)}</td>
            <td>{formatCount(trace.llmCallCount)}</td>
            <td class={trace.errorCount > 0 ? 'cell-bad' : undefined}>
              {formatCount(trace.errorCount)}
            </td>
            <td>{formatUsd(trace.costUsd)}</td>
            <td>
              {formatCompact(trace.inputTokens)} / {formatCompact(trace.outputTokens)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
