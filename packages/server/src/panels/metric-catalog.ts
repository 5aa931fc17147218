import { lookupTable } from '../lookup-table.ts';

/** Label names a series can be grouped by, as alert labels spell them. */
export const SERIES_DIMENSIONS = [
  'model',
  'tenant',
  'feature',
  'service',
  'provider',
  'error_type',
] as const;
export type SeriesDimension = (typeof SERIES_DIMENSIONS)[number];

/** Where a metric's numbers come from. */
export type MetricSource = 'llm' | 'slow' | 'ttft' | 'inflight' | 'scores';

export interface MetricDefinition {
  source: MetricSource;
  unit: string;
  description: string;
  /** Matcher labels the metric accepts besides the span filters. */
  extraMatchers: readonly string[];
  /** Matcher labels the metric needs. */
  requiredMatchers: readonly string[];
  /** Dimensions the metric can be grouped by. */
  dimensions: readonly SeriesDimension[];
}

const SPAN_DIMENSIONS: readonly SeriesDimension[] = [
  'model',
  'tenant',
  'feature',
  'service',
  'provider',
];

function llm(unit: string, description: string): MetricDefinition {
  return {
    source: 'llm',
    unit,
    description,
    extraMatchers: [],
    requiredMatchers: [],
    dimensions: SPAN_DIMENSIONS,
  };
}

/** Every metric a panel series or an alert rule can name. */
export const METRICS: Readonly<Record<string, MetricDefinition>> = lookupTable({
  requests: llm('requests', 'LLM calls started in the window'),
  request_rate_per_min: llm('requests/min', 'LLM calls per minute over the window'),
  error_ratio: {
    ...llm('ratio', 'failed calls divided by all calls; `error_type` selects one error class'),
    extraMatchers: ['error_type'],
    dimensions: [...SPAN_DIMENSIONS, 'error_type'],
  },
  latency_p50_ms: llm('ms', 'median call duration'),
  latency_p95_ms: llm('ms', '95th percentile of call duration'),
  latency_p99_ms: llm('ms', '99th percentile of call duration'),
  slow_ratio: {
    source: 'slow',
    unit: 'ratio',
    description: 'share of calls slower than `threshold_ms` milliseconds',
    extraMatchers: ['threshold_ms'],
    requiredMatchers: ['threshold_ms'],
    dimensions: SPAN_DIMENSIONS,
  },
  tokens_per_hour: llm('tokens/h', 'input plus output tokens per hour over the window'),
  cost_usd_per_hour: llm('USD/h', 'priced cost per hour over the window'),
  projected_monthly_cost_usd: llm(
    'USD',
    'month-to-date cost plus the trailing 168-hour cost rate times the hours left in the UTC month',
  ),
  unpriced_requests: llm('requests', 'calls whose model has no price in the window'),
  ttft_p95_ms: {
    source: 'ttft',
    unit: 'ms',
    description: '95th percentile of time to first token, streaming calls only',
    extraMatchers: [],
    requiredMatchers: [],
    dimensions: SPAN_DIMENSIONS,
  },
  inflight_requests: {
    source: 'inflight',
    unit: 'requests',
    description: 'average number of calls in flight over the window',
    extraMatchers: [],
    requiredMatchers: [],
    dimensions: SPAN_DIMENSIONS,
  },
  quality_score_mean: {
    source: 'scores',
    unit: 'score',
    description: 'mean of the numeric scores named `name`',
    extraMatchers: ['name'],
    requiredMatchers: ['name'],
    dimensions: SPAN_DIMENSIONS,
  },
  quality_category_share: {
    source: 'scores',
    unit: 'ratio',
    description: 'share of the categorical scores named `name` with the value `value`',
    extraMatchers: ['name', 'value'],
    requiredMatchers: ['name'],
    dimensions: SPAN_DIMENSIONS,
  },
});

export function isSeriesDimension(value: string): value is SeriesDimension {
  return (SERIES_DIMENSIONS as readonly string[]).includes(value);
}
