import { GENAI_DURATION_BUCKETS_SECONDS, GENAI_TOKEN_BUCKETS } from '../config/buckets.ts';

/** The name, unit and description of one of the SDK's metrics. */
export interface MetricDefinition {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}

/** A histogram metric and its explicit bucket boundaries. */
export interface HistogramDefinition extends MetricDefinition {
  readonly boundaries: readonly number[];
}

const seconds = (name: string, description: string): HistogramDefinition => ({
  name,
  description,
  unit: 's',
  boundaries: GENAI_DURATION_BUCKETS_SECONDS,
});

/**
 * The GenAI client metrics of the OTel conventions and the operational set
 * Foghorn's panels read. Both recording paths (OTel instruments and the SDK's
 * own aggregation) take their names, units and boundaries from here.
 */
export const GENAI_METRICS = Object.freeze({
  tokensConsumed: {
    name: 'gen_ai.tokens.consumed',
    description:
      'Tokens consumed, by gen_ai.token.type (input, output, cache_read, cache_write, reasoning)',
    unit: '{token}',
  },
  errors: {
    name: 'gen_ai.errors',
    description: 'Failed LLM requests, by error.type',
    unit: '{error}',
  },
  activeRequests: {
    name: 'gen_ai.requests.active',
    description: 'LLM requests in flight',
    unit: '{request}',
  },
  operationDuration: seconds(
    'gen_ai.client.operation.duration',
    'Duration of GenAI client operations',
  ),
  timeToFirstChunk: seconds(
    'gen_ai.client.operation.time_to_first_chunk',
    'Time from the request to the first chunk of a streamed response',
  ),
  requestDuration: seconds('gen_ai.request.duration', 'Duration of LLM requests'),
  tokenUsage: {
    name: 'gen_ai.client.token.usage',
    description: 'Tokens used per GenAI operation, by gen_ai.token.type',
    unit: '{token}',
    boundaries: GENAI_TOKEN_BUCKETS,
  },
} satisfies Record<string, MetricDefinition | HistogramDefinition>);

/** Histograms that get the GenAI bucket boundaries through views on the SDK's MeterProvider. */
export const GENAI_HISTOGRAMS: readonly HistogramDefinition[] = [
  GENAI_METRICS.operationDuration,
  GENAI_METRICS.timeToFirstChunk,
  GENAI_METRICS.requestDuration,
  GENAI_METRICS.tokenUsage,
];

/** Attribute sets kept per metric; one more tenant, feature or model beyond it is dropped with one warning. */
export const MAX_SERIES_PER_METRIC = 10_000;
