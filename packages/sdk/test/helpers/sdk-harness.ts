import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { PRICE_TABLE } from '../../../server/src/enrich/price-table.ts';
import { startTestServer, type TestServer } from '../../../server/test/helpers/server.ts';
import { init, type FoghornLogger, type FoghornOptions, type FoghornSdk } from '../../src/index.ts';

/** A real Foghorn, the SDK exporting to it, and an in-memory copy of the SDK's metrics. */
export interface Harness {
  server: TestServer;
  sdk: FoghornSdk;
  logLines: string[];
  startUnixMs: number;
  /** Flushes spans and metrics; spans are committed in Foghorn when it resolves. */
  flush(): Promise<void>;
  /** Metric data of one instrument from the last collection. */
  metric(name: string): MetricData | undefined;
  /** Groups of `/api/v1/llm/summary`; `filters` is a query string such as `tenant=acme`. */
  summary(groupBy: string, filters?: string): Promise<any[]>;
  traceSpans(traceId: string): Promise<any[]>;
  stop(): Promise<void>;
}

/**
 * How the harness passes its metric reader to `init()`: as a function that
 * builds it with the SDK's metric producer (the default), or built before
 * `init()`, which makes the SDK record through OTel instruments.
 */
export type ReaderKind = 'factory' | 'built';

export async function startHarness(
  options: FoghornOptions = {},
  readerKind: ReaderKind = 'factory',
): Promise<Harness> {
  const server = await startTestServer();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const readerOptions = { exporter: metricExporter, exportIntervalMillis: 3_600_000 };
  const reader =
    readerKind === 'built'
      ? new PeriodicExportingMetricReader(readerOptions)
      : (producers: { metricProducers: MetricProducer[] }) =>
          new PeriodicExportingMetricReader({ ...readerOptions, ...producers });
  const logLines: string[] = [];
  const sdk = init({
    serviceName: 'sdk-test',
    serviceVersion: '1.2.3',
    environment: 'test',
    endpoint: server.otlpUrl,
    apiUrl: server.url,
    metricExportIntervalMs: 3_600_000,
    metricReaders: [reader],
    logger: capturingLogger(logLines),
    ...options,
  });
  const startUnixMs = Date.now() - 1000;
  const window = (): string => `from=${startUnixMs}&to=${Date.now() + 60_000}`;
  return {
    server,
    sdk,
    logLines,
    startUnixMs,
    flush: () => sdk.forceFlush(),
    metric(name) {
      const batches = metricExporter.getMetrics();
      const last = batches[batches.length - 1];
      return last?.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((metric) => metric.descriptor.name === name);
    },
    async summary(groupBy, filters = '') {
      const query = `groupBy=${groupBy}&${window()}${filters === '' ? '' : `&${filters}`}`;
      const { status, body } = await server.getJson(`/api/v1/llm/summary?${query}`);
      if (status !== 200) throw new Error(`summary returned ${status}: ${JSON.stringify(body)}`);
      return body.groups;
    },
    async traceSpans(traceId) {
      const { status, body } = await server.getJson(`/api/v1/traces/${traceId}`);
      if (status !== 200)
        throw new Error(`trace ${traceId} returned ${status}: ${JSON.stringify(body)}`);
      return body.spans;
    },
    async stop() {
      await sdk.shutdown();
      await server.stop();
    },
  };
}

export function capturingLogger(lines: string[]): FoghornLogger {
  return {
    debug: (message) => lines.push(`debug ${message}`),
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

/** Data points of a metric whose attributes include every given pair. */
export function pointsWith(
  metric: MetricData | undefined,
  attributes: Record<string, unknown>,
): DataPoint<unknown>[] {
  if (metric === undefined) return [];
  return (metric.dataPoints as DataPoint<unknown>[]).filter((point) =>
    Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
  );
}

export function histogramOf(point: DataPoint<unknown> | undefined): Histogram | undefined {
  return point?.value as Histogram | undefined;
}

export interface ExpectedUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** Computes the cost Foghorn's price table gives a call: uncached input, cache reads and writes, and output at their prices. */
export function expectedCostUsd(provider: string, model: string, usage: ExpectedUsage): number {
  const entry = PRICE_TABLE.find(
    (candidate) => candidate.provider === provider && candidate.model === model,
  );
  if (entry === undefined) throw new Error(`no price for ${provider}/${model}`);
  const period = entry.periods[entry.periods.length - 1]!;
  const perToken = (usdPerMTok: number | undefined): number =>
    (usdPerMTok ?? period.inputUsdPerMTok) / 1_000_000;
  const uncached = usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens;
  return (
    uncached * perToken(period.inputUsdPerMTok) +
    usage.cachedInputTokens * perToken(period.cacheReadUsdPerMTok) +
    usage.cacheWriteTokens * perToken(period.cacheWriteUsdPerMTok) +
    usage.outputTokens * perToken(period.outputUsdPerMTok)
  );
}
