import { ValueType, type HrTime } from '@opentelemetry/api';
import { hrTime, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  InstrumentType,
  type CollectionResult,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { AggregatedHistogram } from './aggregated-histogram.ts';
import type { AggregatedInstruments } from './instruments.ts';
import { GENAI_METRICS, type MetricDefinition } from './metric-definitions.ts';
import type { SeriesSums } from './series-sums.ts';

/**
 * Reports the SDK's own aggregated metrics to the metric readers that
 * `init()` builds. The metric data has the shape that a MeterProvider with the
 * GenAI bucket views gives the same instruments. Each series has one start
 * time, when it was first recorded. The metrics come in the order in which
 * `createMeterInstruments` creates the instruments, and a metric without data
 * points is left out.
 *
 * NOTE: the temporality is always cumulative, even for a reader whose exporter
 * selects delta. Beyond 10,000 series per metric new series are dropped, where
 * sdk-metrics 2.12.1 folds series beyond 2,000 into one overflow series.
 */
export class GenAiMetricProducer implements MetricProducer {
  constructor(
    private readonly instruments: AggregatedInstruments,
    private readonly resource: Resource,
    private readonly scope: InstrumentationScope,
  ) {}

  async collect(): Promise<CollectionResult> {
    const metrics = this.metricData(hrTime());
    return {
      resourceMetrics: {
        resource: this.resource,
        scopeMetrics: metrics.length === 0 ? [] : [{ scope: this.scope, metrics }],
      },
      errors: [],
    };
  }

  private metricData(endTime: HrTime): MetricData[] {
    const instruments = this.instruments;
    const all = [
      sumData(GENAI_METRICS.tokensConsumed, instruments.tokensConsumed, true, endTime),
      sumData(GENAI_METRICS.errors, instruments.errors, true, endTime),
      sumData(GENAI_METRICS.activeRequests, instruments.activeRequests, false, endTime),
      histogramData(GENAI_METRICS.operationDuration, instruments.operationDuration, endTime),
      histogramData(GENAI_METRICS.timeToFirstChunk, instruments.timeToFirstChunk, endTime),
      histogramData(GENAI_METRICS.requestDuration, instruments.requestDuration, endTime),
      histogramData(GENAI_METRICS.tokenUsage, instruments.tokenUsage, endTime),
    ];
    return all.filter((metric) => metric.dataPoints.length > 0);
  }
}

/** Builds the descriptor that a MeterProvider reports, `type` and `advice` included. */
function descriptorOf(definition: MetricDefinition, type: InstrumentType, advice: object) {
  return {
    name: definition.name,
    type,
    description: definition.description,
    unit: definition.unit,
    valueType: ValueType.DOUBLE,
    advice,
  };
}

function sumData(
  definition: MetricDefinition,
  sums: SeriesSums,
  isMonotonic: boolean,
  endTime: HrTime,
): MetricData {
  const type = isMonotonic
    ? InstrumentType.OBSERVABLE_COUNTER
    : InstrumentType.OBSERVABLE_UP_DOWN_COUNTER;
  return {
    descriptor: descriptorOf(definition, type, {}),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    dataPoints: sums.dataPoints(endTime),
    isMonotonic,
  };
}

function histogramData(
  definition: MetricDefinition,
  histogram: AggregatedHistogram,
  endTime: HrTime,
): MetricData {
  const advice = { explicitBucketBoundaries: [...histogram.boundaries] };
  return {
    descriptor: descriptorOf(definition, InstrumentType.HISTOGRAM, advice),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: histogram.dataPoints(endTime),
  };
}
