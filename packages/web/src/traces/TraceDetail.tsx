import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { fetchTrace } from '../api/trace-client.ts';
import { useApiQuery } from '../hooks/useApiQuery.ts';
import { formatCompact, formatCount, formatDurationMs, formatUsd } from '../lib/format.ts';
import { buildWaterfall, traceTotals } from '../lib/span-tree.ts';
import { SpanDetails } from './SpanDetails.tsx';
import { Waterfall } from './Waterfall.tsx';

export interface TraceDetailProps {
  traceId: string;
  onClose: () => void;
}

/** Loads one trace and shows its waterfall and the selected span. */
export function TraceDetail(props: TraceDetailProps): JSX.Element {
  const trace = useApiQuery(
    (signal) => fetchTrace(props.traceId, signal),
    `trace:${props.traceId}`,
  );
  const spans = trace.data?.spans ?? [];
  const waterfall = useMemo(() => buildWaterfall(spans), [trace.data]);
  const totals = useMemo(() => traceTotals(spans), [trace.data]);
  const [selectedSpanId, setSelectedSpanId] = useState<string | null>(null);
  const selected =
    spans.find((span) => span.spanId === selectedSpanId) ??
    spans.find((span) => span.isLlmCall) ??
    waterfall.rows[0]?.span;

  return (
    <section class="trace-detail panel" data-testid="trace-detail" data-trace-id={props.traceId}>
      <header class="panel-header">
        <div class="panel-titles">
          <h2 class="panel-title">
            Trace <code>{props.traceId}</code>
          </h2>
          {trace.data !== undefined && (
            <p class="panel-description" data-testid="trace-totals">
              {formatCount(spans.length)} spans · {formatDurationMs(waterfall.totalMs)} ·{' '}
              {formatCount(totals.llmCalls)} LLM calls · {formatCompact(totals.inputTokens)} in /{' '}
              {formatCompact(totals.outputTokens)} out tokens · {formatUsd(totals.costUsd)}
            </p>
          )}
        </div>
        <button type="button" class="link-button" onClick={props.onClose}>
          Close
        </button>
      </header>
      {trace.error !== undefined && (
        <p class="panel-message panel-error-message" role="alert">
          {trace.error.message}
        </p>
      )}
      {trace.loading && trace.data === undefined && <p class="panel-message">Loading…</p>}
      {trace.data !== undefined && (
        <div class="trace-body">
          <Waterfall
            waterfall={waterfall}
            selectedSpanId={selected?.spanId ?? null}
            onSelect={setSelectedSpanId}
          />
          {selected !== undefined && <SpanDetails span={selected} />}
        </div>
      )}
    </section>
  );
}
