import type { Histogram, Meter } from '@opentelemetry/api';
import { GENAI_DURATION_BUCKETS_SECONDS, GENAI_TOKEN_BUCKETS } from '../config/buckets.ts';
import type { FoghornLogger } from './logger.ts';
import { SeriesAttributeCache } from './series-attributes.ts';
import { SeriesSums } from './series-sums.ts';

/** The GenAI client metrics of the OTel conventions and the operational set Foghorn's panels read. */
export interface GenAiInstruments {
  operationDuration: Histogram;
  tokenUsage: Histogram;
  timeToFirstChunk: Histogram;
  requestDuration: Histogram;
  /** Sums behind the `gen_ai.tokens.consumed` counter. */
  tokensConsumed: SeriesSums;
  /** Sums behind the `gen_ai.errors` counter. */
  errors: SeriesSums;
  /** Sums behind the `gen_ai.requests.active` up-down counter. */
  activeRequests: SeriesSums;
  seriesAttributes: SeriesAttributeCache;
}

/** Names of the histograms that get the GenAI bucket boundaries, by unit. */
export const DURATION_HISTOGRAMS = [
  'gen_ai.client.operation.duration',
  'gen_ai.client.operation.time_to_first_chunk',
  'gen_ai.request.duration',
] as const;
export const TOKEN_HISTOGRAMS = ['gen_ai.client.token.usage'] as const;

/** Attribute sets kept per counter; one more tenant, feature or model beyond it is dropped with one warning. */
export const MAX_SERIES_PER_COUNTER = 10_000;

/**
 * Creates the instruments. The bucket boundaries go in as advice too, so they
 * apply when the meter comes from a host's own MeterProvider without views.
 * The counters are observable: calls add to in-process sums, which each
 * collection reports as cumulative values.
 */
export function createInstruments(meter: Meter, logger: FoghornLogger): GenAiInstruments {
  const seconds = (name: string, description: string): Histogram =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      advice: { explicitBucketBoundaries: [...GENAI_DURATION_BUCKETS_SECONDS] },
    });
  const sums = (name: string, description: string, unit: string, upDown = false): SeriesSums => {
    const series = new SeriesSums(MAX_SERIES_PER_COUNTER, () =>
      logger.warn(
        `${name} reached ${MAX_SERIES_PER_COUNTER} attribute sets; new tenants, features or models are not counted in it`,
      ),
    );
    const options = { description, unit };
    const instrument = upDown
      ? meter.createObservableUpDownCounter(name, options)
      : meter.createObservableCounter(name, options);
    instrument.addCallback((result) => series.observe(result));
    return series;
  };
  return {
    operationDuration: seconds(
      'gen_ai.client.operation.duration',
      'Duration of GenAI client operations',
    ),
    timeToFirstChunk: seconds(
      'gen_ai.client.operation.time_to_first_chunk',
      'Time from the request to the first chunk of a streamed response',
    ),
    requestDuration: seconds('gen_ai.request.duration', 'Duration of LLM requests'),
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Tokens used per GenAI operation, by gen_ai.token.type',
      unit: '{token}',
      advice: { explicitBucketBoundaries: [...GENAI_TOKEN_BUCKETS] },
    }),
    tokensConsumed: sums(
      'gen_ai.tokens.consumed',
      'Tokens consumed, by gen_ai.token.type (input, output, cache_read, cache_write, reasoning)',
      '{token}',
    ),
    errors: sums('gen_ai.errors', 'Failed LLM requests, by error.type', '{error}'),
    activeRequests: sums('gen_ai.requests.active', 'LLM requests in flight', '{request}', true),
    seriesAttributes: new SeriesAttributeCache(),
  };
}
