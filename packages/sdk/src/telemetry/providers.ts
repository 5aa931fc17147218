import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricProducer,
  type MetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { SCOPE_NAME, SCOPE_VERSION } from '../config/defaults.ts';
import type { MetricReaderFactory } from '../config/options.ts';
import type { ResolvedConfig } from '../config/resolve-config.ts';
import { AttributionSpanProcessor } from './attribution.ts';
import { createDropReporter, type DropReporter } from './drop-reporter.ts';
import { GenAiMetricProducer } from './genai-metric-producer.ts';
import { createAggregatedInstruments, type AggregatedInstruments } from './instruments.ts';
import { GENAI_HISTOGRAMS } from './metric-definitions.ts';
import { QueueGuardSpanProcessor } from './queue-guard.ts';
import { reportingMetricExporter, reportingSpanExporter } from './reporting-exporters.ts';

export interface Providers {
  tracerProvider: NodeTracerProvider;
  meterProvider: MeterProvider;
  /** The instruments behind the SDK's metric producer, or null when the metrics go through OTel instruments. */
  aggregated: AggregatedInstruments | null;
  drops: DropReporter[];
}

/** Builds the tracer and meter providers of one `init()` with the configured exporters. */
export function createProviders(config: ResolvedConfig): Providers {
  const resource = createResource(config);
  const spanDrops = createDropReporter(config.logger, 'spans');
  const metricDrops = createDropReporter(config.logger, 'metric exports');
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [
      new AttributionSpanProcessor(),
      ...exportProcessors(config, spanDrops),
      ...config.spanProcessors,
    ],
  });
  const aggregated = usesMetricProducer(config) ? createAggregatedInstruments(config.logger) : null;
  const metricProducers: MetricProducer[] =
    aggregated === null ? [] : [new GenAiMetricProducer(aggregated, resource, SCOPE)];
  const meterProvider = new MeterProvider({
    resource,
    views: histogramViews(),
    readers: [
      ...(config.exporter === 'otlp' ? [metricReader(config, metricDrops, metricProducers)] : []),
      ...config.metricReaders.map((entry) => buildReader(entry, metricProducers)),
    ],
  });
  return { tracerProvider, meterProvider, aggregated, drops: [spanDrops, metricDrops] };
}

const SCOPE = { name: SCOPE_NAME, version: SCOPE_VERSION, schemaUrl: undefined };

/**
 * Returns true when metrics are on and every metric reader can take the SDK's
 * metric producer. A reader the host built before `init()` cannot, so then
 * every GenAI metric is recorded through OTel instruments, and this logs why.
 */
function usesMetricProducer(config: ResolvedConfig): boolean {
  if (!config.metrics) return false;
  if (config.metricReaders.every((entry) => typeof entry === 'function')) return true;
  config.logger.info(
    'metricReaders contains a MetricReader built before init(), so GenAI metrics are recorded through OTel instruments, which costs a few microseconds more per call; pass a function that builds the reader from { metricProducers } instead',
  );
  return false;
}

function buildReader(
  entry: MetricReader | MetricReaderFactory,
  metricProducers: MetricProducer[],
): MetricReader {
  return typeof entry === 'function' ? entry({ metricProducers }) : entry;
}

function createResource(config: ResolvedConfig): Resource {
  const attributes: Record<string, string> = {
    ...config.resourceAttributes,
    'service.name': config.serviceName,
    'telemetry.sdk.language': 'nodejs',
  };
  if (config.serviceVersion !== undefined) attributes['service.version'] = config.serviceVersion;
  if (config.environment !== undefined)
    attributes['deployment.environment.name'] = config.environment;
  return resourceFromAttributes(attributes);
}

function exportProcessors(config: ResolvedConfig, drops: DropReporter): SpanProcessor[] {
  if (config.exporter === 'none') return [];
  if (config.exporter === 'console') return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
  let guard: QueueGuardSpanProcessor | null = null;
  const exporter = reportingSpanExporter(
    new OTLPTraceExporter({
      url: config.tracesUrl,
      headers: config.headers,
      timeoutMillis: config.exportTimeoutMs,
    }),
    drops,
    (count) => guard?.release(count),
  );
  const batch = new BatchSpanProcessor(exporter, {
    maxQueueSize: config.maxQueuedSpans,
    exportTimeoutMillis: config.exportTimeoutMs,
  });
  guard = new QueueGuardSpanProcessor(batch, config.maxQueuedSpans, drops);
  return [guard];
}

function metricReader(
  config: ResolvedConfig,
  drops: DropReporter,
  metricProducers: MetricProducer[],
): PeriodicExportingMetricReader {
  const exporter = new OTLPMetricExporter({
    url: config.metricsUrl,
    headers: config.headers,
    timeoutMillis: config.exportTimeoutMs,
  });
  return new PeriodicExportingMetricReader({
    exporter: reportingMetricExporter(exporter, drops),
    exportIntervalMillis: config.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(config.exportTimeoutMs, config.metricExportIntervalMs),
    metricProducers,
  });
}

/**
 * Views that give the GenAI histograms their bucket boundaries, whatever advice
 * the instruments carry, when they are recorded through OTel instruments.
 */
function histogramViews(): ViewOptions[] {
  return GENAI_HISTOGRAMS.map((histogram) => ({
    instrumentName: histogram.name,
    aggregation: {
      type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
      options: { boundaries: [...histogram.boundaries] },
    },
  }));
}
