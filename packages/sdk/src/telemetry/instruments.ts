import type { Meter } from '@opentelemetry/api';
import type { FoghornLogger } from './logger.ts';
import { AggregatedHistogram } from './aggregated-histogram.ts';
import { SeriesRegistry } from './call-series.ts';
import { instrumentHistogramSeries, type HistogramSeries } from './histogram-series.ts';
import {
  GENAI_METRICS,
  MAX_SERIES_PER_METRIC,
  type HistogramDefinition,
  type MetricDefinition,
} from './metric-definitions.ts';
import { SeriesSums } from './series-sums.ts';

/** The series of the SDK's metrics that instrumented calls record into. */
export interface GenAiInstruments extends SeriesMetrics {
  /** The attribute objects and cells of each call series. */
  series: SeriesRegistry;
}

/** The metrics whose cells a call series keeps. */
export interface SeriesMetrics {
  operationDuration: HistogramSeries;
  tokenUsage: HistogramSeries;
  timeToFirstChunk: HistogramSeries;
  requestDuration: HistogramSeries;
  /** Sums behind the `gen_ai.tokens.consumed` counter. */
  tokensConsumed: SeriesSums;
  /** Sums behind the `gen_ai.errors` counter. */
  errors: SeriesSums;
  /** Sums behind the `gen_ai.requests.active` up-down counter. */
  activeRequests: SeriesSums;
}

/** The instruments whose state the SDK aggregates itself and reports through its metric producer. */
export interface AggregatedInstruments extends GenAiInstruments {
  operationDuration: AggregatedHistogram;
  tokenUsage: AggregatedHistogram;
  timeToFirstChunk: AggregatedHistogram;
  requestDuration: AggregatedHistogram;
}

function seriesSums(definition: MetricDefinition, logger: FoghornLogger): SeriesSums {
  return new SeriesSums(MAX_SERIES_PER_METRIC, () => warnOverflow(definition, logger));
}

function warnOverflow(definition: MetricDefinition, logger: FoghornLogger): void {
  logger.warn(
    `${definition.name} reached ${MAX_SERIES_PER_METRIC} attribute sets; new tenants, features or models are not counted in it`,
  );
}

/**
 * Creates instruments on an OTel meter, for a MeterProvider the SDK cannot
 * attach its metric producer to. The bucket boundaries go in as advice too,
 * so they apply when the meter comes from a host's own MeterProvider without
 * views. The counters are observable: calls add to in-process sums, which each
 * collection reports as cumulative values.
 */
export function createMeterInstruments(meter: Meter, logger: FoghornLogger): GenAiInstruments {
  const sums = (definition: MetricDefinition, upDown = false): SeriesSums => {
    const series = seriesSums(definition, logger);
    const options = { description: definition.description, unit: definition.unit };
    const instrument = upDown
      ? meter.createObservableUpDownCounter(definition.name, options)
      : meter.createObservableCounter(definition.name, options);
    instrument.addCallback((result) => series.observe(result));
    return series;
  };
  const histogram = (definition: HistogramDefinition): HistogramSeries =>
    instrumentHistogramSeries(
      meter.createHistogram(definition.name, {
        description: definition.description,
        unit: definition.unit,
        advice: { explicitBucketBoundaries: [...definition.boundaries] },
      }),
    );
  const tokensConsumed = sums(GENAI_METRICS.tokensConsumed);
  const errors = sums(GENAI_METRICS.errors);
  const activeRequests = sums(GENAI_METRICS.activeRequests, true);
  const metrics = {
    operationDuration: histogram(GENAI_METRICS.operationDuration),
    timeToFirstChunk: histogram(GENAI_METRICS.timeToFirstChunk),
    requestDuration: histogram(GENAI_METRICS.requestDuration),
    tokenUsage: histogram(GENAI_METRICS.tokenUsage),
    tokensConsumed,
    errors,
    activeRequests,
  };
  return { ...metrics, series: new SeriesRegistry(metrics) };
}

/**
 * Creates instruments that aggregate in process: a call finds its series
 * objects once per attribute set and then does a bucket search and a few
 * additions, without hashing attributes.
 */
export function createAggregatedInstruments(logger: FoghornLogger): AggregatedInstruments {
  const histogram = (definition: HistogramDefinition): AggregatedHistogram =>
    new AggregatedHistogram(definition.boundaries, MAX_SERIES_PER_METRIC, () =>
      warnOverflow(definition, logger),
    );
  const tokensConsumed = seriesSums(GENAI_METRICS.tokensConsumed, logger);
  const errors = seriesSums(GENAI_METRICS.errors, logger);
  const activeRequests = seriesSums(GENAI_METRICS.activeRequests, logger);
  const metrics = {
    operationDuration: histogram(GENAI_METRICS.operationDuration),
    timeToFirstChunk: histogram(GENAI_METRICS.timeToFirstChunk),
    requestDuration: histogram(GENAI_METRICS.requestDuration),
    tokenUsage: histogram(GENAI_METRICS.tokenUsage),
    tokensConsumed,
    errors,
    activeRequests,
  };
  return { ...metrics, series: new SeriesRegistry(metrics) };
}
