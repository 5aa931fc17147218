import type { MetricPoint } from '../../src/metrics/metric-point.ts';
import type { Store } from '../../src/store/store.ts';

/** Builds OTLP/JSON metrics bodies and reads back the points Foghorn stored, for metrics ingest tests. */

export const AGGREGATION_TEMPORALITY = { unspecified: 0, delta: 1, cumulative: 2 } as const;
export const TOKENS_METRIC = 'gen_ai.tokens.consumed';

export type JsonAttributes = Record<string, string | number | boolean>;

/** Unix nanoseconds of `unixMs`, as the decimal string OTLP/JSON uses. */
export function nanos(unixMs: number): string {
  return (BigInt(Math.round(unixMs)) * 1_000_000n).toString();
}

/** Converts plain attributes to OTLP/JSON KeyValues. */
export function keyValues(attributes: JsonAttributes): unknown[] {
  return Object.entries(attributes).map(([key, value]) => {
    if (typeof value === 'string') return { key, value: { stringValue: value } };
    if (typeof value === 'boolean') return { key, value: { boolValue: value } };
    if (Number.isInteger(value)) return { key, value: { intValue: String(value) } };
    return { key, value: { doubleValue: value } };
  });
}

export interface RequestOptions {
  resource?: JsonAttributes;
  scope?: { name: string; version?: string };
}

/** Wraps metrics into an ExportMetricsServiceRequest with one resource and one scope. */
export function metricsRequest(metrics: unknown[], options: RequestOptions = {}): unknown {
  const resource = options.resource ?? { 'service.name': 'metrics-ingest-test' };
  return {
    resourceMetrics: [
      {
        resource: { attributes: keyValues(resource) },
        scopeMetrics: [{ scope: options.scope ?? { name: 'metrics-ingest-test' }, metrics }],
      },
    ],
  };
}

export interface TokenPoint {
  startMs: number;
  timeMs: number;
  /** A number, or the OTLP/JSON text of a special double such as "NaN". */
  value: number | string;
  flags?: number;
}

/** Builds a monotonic `gen_ai.tokens.consumed` sum of the input tokens of `model`. */
export function tokenSum(model: string, temporality: number, points: TokenPoint[]): unknown {
  return {
    name: TOKENS_METRIC,
    unit: '{token}',
    sum: {
      aggregationTemporality: temporality,
      isMonotonic: true,
      dataPoints: points.map((point) => ({
        attributes: keyValues({ 'gen_ai.request.model': model, 'gen_ai.token.type': 'input' }),
        startTimeUnixNano: nanos(point.startMs),
        timeUnixNano: nanos(point.timeMs),
        asDouble: point.value,
        ...(point.flags === undefined ? {} : { flags: point.flags }),
      })),
    },
  };
}

export interface ExportResponse {
  status: number;
  rejectedDataPoints: number;
  errorMessage: string;
}

/** POSTs an OTLP/JSON metrics body and returns the status and the partial success. */
export async function exportMetrics(otlpUrl: string, body: unknown): Promise<ExportResponse> {
  const response = await fetch(`${otlpUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text === '' ? {} : JSON.parse(text);
  return {
    status: response.status,
    rejectedDataPoints: Number(parsed.partialSuccess?.rejectedDataPoints ?? 0),
    errorMessage: String(parsed.partialSuccess?.errorMessage ?? parsed.message ?? ''),
  };
}

/** Reads the stored points of `metricName` whose model is `model`, from `fromMs` to an hour ahead. */
export function storedPoints(
  store: Store,
  metricName: string,
  model: string,
  fromMs: number,
): Promise<MetricPoint[]> {
  const window = { projectId: 'default', fromUnixMs: fromMs, toUnixMs: Date.now() + 3_600_000 };
  return store.metricPoints(window, [metricName], { model });
}

/** Adds up the stored increases of the sum `metricName` of `model`. */
export async function storedIncrease(
  store: Store,
  model: string,
  fromMs: number,
  metricName = TOKENS_METRIC,
): Promise<number> {
  const points = await storedPoints(store, metricName, model, fromMs);
  return points.reduce((total, point) => total + (point.deltaValue ?? 0), 0);
}
