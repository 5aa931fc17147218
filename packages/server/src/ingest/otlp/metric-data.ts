import type {
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpMetricData,
  OtlpNumberDataPoint,
  OtlpSummaryDataPoint,
} from './otlp-model.ts';

export type MetricDataType = OtlpMetricData['type'];

export type AnyDataPoint =
  | OtlpNumberDataPoint
  | OtlpHistogramDataPoint
  | OtlpExponentialHistogramDataPoint
  | OtlpSummaryDataPoint;

/** Every metric type with the OTLP/JSON field that carries it and the protobuf field number. */
export const METRIC_DATA_FIELDS: readonly {
  type: MetricDataType;
  snakeName: string;
  fieldNumber: number;
}[] = [
  { type: 'gauge', snakeName: 'gauge', fieldNumber: 5 },
  { type: 'sum', snakeName: 'sum', fieldNumber: 7 },
  { type: 'histogram', snakeName: 'histogram', fieldNumber: 9 },
  { type: 'exponentialHistogram', snakeName: 'exponential_histogram', fieldNumber: 10 },
  { type: 'summary', snakeName: 'summary', fieldNumber: 11 },
];

/**
 * Assembles the tagged union. The caller guarantees that `dataPoints` came
 * from the decoder for `type`, which the casts rely on.
 */
export function buildMetricData(
  type: MetricDataType,
  dataPoints: AnyDataPoint[],
  aggregationTemporality: number,
  isMonotonic: boolean,
): OtlpMetricData {
  switch (type) {
    case 'gauge':
      return { type, dataPoints: dataPoints as OtlpNumberDataPoint[] };
    case 'sum':
      return {
        type,
        aggregationTemporality,
        isMonotonic,
        dataPoints: dataPoints as OtlpNumberDataPoint[],
      };
    case 'histogram':
      return { type, aggregationTemporality, dataPoints: dataPoints as OtlpHistogramDataPoint[] };
    case 'exponentialHistogram':
      return {
        type,
        aggregationTemporality,
        dataPoints: dataPoints as OtlpExponentialHistogramDataPoint[],
      };
    case 'summary':
      return { type, dataPoints: dataPoints as OtlpSummaryDataPoint[] };
  }
}
