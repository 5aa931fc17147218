import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { InflightResponse, TtftResponse } from '../api/types.ts';
import type { QueryResult } from '../hooks/useApiQuery.ts';
import { formatDurationMs } from '../lib/format.ts';
import { combineQueries } from '../lib/panel-status.ts';
import { buildInflightChart, buildTtftChart } from '../lib/ttft-chart.ts';
import { Panel } from './Panel.tsx';
import { UplotChart } from './UplotChart.tsx';

export interface InflightTtftPanelProps {
  inflight: QueryResult<InflightResponse>;
  ttft: QueryResult<TtftResponse>;
}

const TITLE = 'In-flight requests and time to first token';

function formatInflight(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toFixed(2).replace(/\.?0+$/, '');
}

/** Draws average calls in flight and time to first token per model, side by side. */
export function InflightTtftPanel(props: InflightTtftPanelProps): JSX.Element {
  const status = combineQueries(props.inflight, props.ttft);
  const charts = useMemo(
    () =>
      status.kind === 'ready'
        ? { inflight: buildInflightChart(status.data[0]), ttft: buildTtftChart(status.data[1]) }
        : null,
    [props.inflight.data, props.ttft.data],
  );
  const source = props.inflight.data?.source;
  const frame = {
    panelId: 'inflight-ttft',
    title: TITLE,
    description:
      source === 'metric'
        ? 'Calls in flight from the gen_ai.requests.active metric; p50 (solid) and p95 (dashed) time to first token of streaming calls per model.'
        : 'Average LLM calls in flight per bucket, from span start and end times; p50 (solid) and p95 (dashed) time to first token of streaming calls per model.',
  };
  if (status.kind !== 'ready' || charts === null) {
    const error = status.kind === 'error' ? status.error : undefined;
    return <Panel {...frame} state={status.kind === 'error' ? 'error' : 'loading'} error={error} />;
  }
  if (charts.inflight.peak === 0 && charts.ttft.models.length === 0) {
    return <Panel {...frame} state="empty" />;
  }
  return (
    <Panel
      {...frame}
      state="ready"
      headline={
        <>
          <span class="headline-value">{formatInflight(charts.inflight.peak)}</span>
          <span class="headline-label">peak in flight (bucket average)</span>
        </>
      }
      seriesCount={1 + charts.ttft.models.length}
      pointCount={charts.inflight.columns[0].length}
    >
      <div class="panel-pair">
        <figure class="panel-figure" data-chart="inflight">
          <figcaption>In flight ({source === 'metric' ? 'metric' : 'from spans'})</figcaption>
          <UplotChart
            columns={charts.inflight.columns}
            series={charts.inflight.series}
            formatValue={formatInflight}
            heightPx={200}
          />
        </figure>
        <figure class="panel-figure" data-chart="ttft">
          <figcaption>
            Time to first token
            {charts.ttft.worstP95Ms === null
              ? ': no streaming calls report it'
              : `, worst p95 ${formatDurationMs(charts.ttft.worstP95Ms)}`}
          </figcaption>
          {charts.ttft.models.length > 0 && (
            <UplotChart
              columns={charts.ttft.columns}
              series={charts.ttft.series}
              formatValue={formatDurationMs}
              heightPx={200}
            />
          )}
          <ul class="inline-legend">
            {charts.ttft.models.map((model, index) => (
              <li key={model}>
                <span class="legend-swatch" style={{ background: charts.ttft.colors[index] }} />
                {model}
              </li>
            ))}
          </ul>
        </figure>
      </div>
    </Panel>
  );
}
