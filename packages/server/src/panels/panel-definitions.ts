/** One line or bar set of a panel, named by its series expression. */
export interface PanelSeries {
  expr: string;
  title: string;
}

/** A dashboard panel: the single definition the dashboard, the alarms and the exports read. */
export interface PanelDefinition {
  id: string;
  title: string;
  description: string;
  series: readonly PanelSeries[];
  /** A band drawn around the series: the baseline mean plus or minus `stddevs` standard deviations. */
  band?: { expr: string; baselineWindow: string; stddevs: number };
}

/** The panels, in dashboard order. Their ids are fixed because links and rules refer to them. */
export const PANELS: readonly PanelDefinition[] = Object.freeze([
  {
    id: 'latency',
    title: 'Latency by model',
    description: 'p50, p95 and p99 call duration per model, and the share of slow calls',
    series: [
      { expr: 'latency_p50_ms by model over 5m', title: 'p50' },
      { expr: 'latency_p95_ms by model over 5m', title: 'p95' },
      { expr: 'latency_p99_ms by model over 5m', title: 'p99' },
      { expr: 'slow_ratio{threshold_ms="8000"} by model over 5m', title: 'share slower than 8 s' },
    ],
  },
  {
    id: 'errors',
    title: 'Error rate by error type',
    description:
      'failed calls as a share of all calls, per error class: rate_limit, timeout, server_error, client_error, content_filter, authentication, other',
    series: [
      { expr: 'error_ratio by error_type over 5m', title: 'error rate by type' },
      { expr: 'error_ratio by service over 5m', title: 'error rate by service' },
    ],
  },
  {
    id: 'cost',
    title: 'Cost',
    description: 'cost per hour, the projected monthly cost and calls of unpriced models',
    series: [
      { expr: 'cost_usd_per_hour over 1h', title: 'cost per hour' },
      { expr: 'projected_monthly_cost_usd over 24h', title: 'projected monthly cost' },
      { expr: 'unpriced_requests by model over 1h', title: 'calls of unpriced models' },
    ],
  },
  {
    id: 'tokens-by-model',
    title: 'Tokens by model',
    description: 'input plus output tokens per hour for each model',
    series: [{ expr: 'tokens_per_hour by model over 1h', title: 'tokens per hour' }],
  },
  {
    id: 'tokens-by-feature',
    title: 'Tokens by feature',
    description: 'input plus output tokens per hour for each feature',
    series: [{ expr: 'tokens_per_hour by feature over 1h', title: 'tokens per hour' }],
  },
  {
    id: 'cost-by-tenant',
    title: 'Cost by tenant',
    description: 'cost per hour per tenant and the projected monthly cost against its budget',
    series: [
      { expr: 'cost_usd_per_hour by tenant over 1h', title: 'cost per hour' },
      { expr: 'projected_monthly_cost_usd by tenant over 24h', title: 'projected monthly cost' },
    ],
  },
  {
    id: 'quality',
    title: 'Quality scores',
    description: 'mean quality score per model over time, with a drift band from the past week',
    series: [
      { expr: 'quality_score_mean{name="helpfulness"} by model over 1h', title: 'mean score' },
      {
        expr: 'quality_category_share{name="verdict",value="bad"} by model over 1h',
        title: 'share judged bad',
      },
    ],
    band: {
      expr: 'quality_score_mean{name="helpfulness"} by model over 1h',
      baselineWindow: '7d',
      stddevs: 2,
    },
  },
  {
    id: 'inflight-ttft',
    title: 'In-flight requests and time to first token',
    description:
      'average calls in flight, time to first token of streaming calls, and traffic per service',
    series: [
      { expr: 'inflight_requests over 5m', title: 'in flight' },
      { expr: 'ttft_p95_ms by model over 5m', title: 'p95 time to first token' },
      { expr: 'request_rate_per_min by service over 15m', title: 'calls per minute by service' },
      { expr: 'requests by service over 15m', title: 'calls by service' },
    ],
  },
]);

export const PANEL_IDS: readonly string[] = PANELS.map((panel) => panel.id);

export function findPanel(id: string): PanelDefinition | undefined {
  return PANELS.find((panel) => panel.id === id);
}
