/** Builds OTLP/JSON metrics requests for the tests of the panels' metrics fallback. */

export const DELTA = 1;
export const CUMULATIVE = 2;

export type TestAttributes = Record<string, string | number>;

/** Unix milliseconds as the decimal nanosecond string of OTLP/JSON. */
export function unixNanoText(unixMs: number): string {
  return (BigInt(Math.round(unixMs)) * 1_000_000n).toString();
}

function keyValues(attributes: TestAttributes) {
  return Object.entries(attributes).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
  }));
}

function total(counts: readonly number[]): number {
  return counts.reduce((sum, count) => sum + count, 0);
}

/** One data point of an explicit-bucket histogram. */
export interface ExplicitPoint {
  attributes: TestAttributes;
  startUnixMs: number;
  timeUnixMs: number;
  bounds: number[];
  counts: number[];
  sum?: number;
  min?: number;
  max?: number;
}

export function explicitHistogram(
  name: string,
  unit: string,
  temporality: number,
  points: ExplicitPoint[],
) {
  return {
    name,
    unit,
    histogram: {
      aggregationTemporality: temporality,
      dataPoints: points.map((point) => ({
        attributes: keyValues(point.attributes),
        startTimeUnixNano: unixNanoText(point.startUnixMs),
        timeUnixNano: unixNanoText(point.timeUnixMs),
        count: String(total(point.counts)),
        sum: point.sum ?? 0,
        bucketCounts: point.counts.map(String),
        explicitBounds: point.bounds,
        ...(point.min === undefined ? {} : { min: point.min }),
        ...(point.max === undefined ? {} : { max: point.max }),
      })),
    },
  };
}

/** One data point of an exponential histogram with positive buckets only. */
export interface ExponentialPoint {
  attributes: TestAttributes;
  startUnixMs: number;
  timeUnixMs: number;
  scale: number;
  offset: number;
  counts: number[];
  zeroCount?: number;
}

export function exponentialHistogram(
  name: string,
  unit: string,
  temporality: number,
  points: ExponentialPoint[],
) {
  return {
    name,
    unit,
    exponentialHistogram: {
      aggregationTemporality: temporality,
      dataPoints: points.map((point) => ({
        attributes: keyValues(point.attributes),
        startTimeUnixNano: unixNanoText(point.startUnixMs),
        timeUnixNano: unixNanoText(point.timeUnixMs),
        count: String(total(point.counts) + (point.zeroCount ?? 0)),
        scale: point.scale,
        zeroCount: String(point.zeroCount ?? 0),
        positive: { offset: point.offset, bucketCounts: point.counts.map(String) },
      })),
    },
  };
}

/** One data point of a sum or a gauge. */
export interface NumberPoint {
  attributes: TestAttributes;
  startUnixMs: number;
  timeUnixMs: number;
  value: number;
}

function numberPoints(points: NumberPoint[]) {
  return points.map((point) => ({
    attributes: keyValues(point.attributes),
    startTimeUnixNano: unixNanoText(point.startUnixMs),
    timeUnixNano: unixNanoText(point.timeUnixMs),
    asDouble: point.value,
  }));
}

export function sumMetric(
  name: string,
  temporality: number,
  isMonotonic: boolean,
  points: NumberPoint[],
) {
  return {
    name,
    sum: { aggregationTemporality: temporality, isMonotonic, dataPoints: numberPoints(points) },
  };
}

/** Posts metrics under one resource and scope to `otlpUrl`; throws unless the status is 200. */
export async function sendMetrics(
  otlpUrl: string,
  metrics: unknown[],
  resource: TestAttributes = { 'service.name': 'metrics-test' },
): Promise<void> {
  const body = {
    resourceMetrics: [
      {
        resource: { attributes: keyValues(resource) },
        scopeMetrics: [{ scope: { name: 'foghorn-test' }, metrics }],
      },
    ],
  };
  const response = await fetch(`${otlpUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) {
    throw new Error(`OTLP metrics export failed with ${response.status}: ${await response.text()}`);
  }
}
