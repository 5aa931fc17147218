import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { GENAI_DURATION_BUCKETS_SECONDS, GENAI_TOKEN_BUCKETS } from '../config/buckets.ts';
import type { ResolvedConfig } from '../config/resolve-config.ts';
import { AttributionSpanProcessor } from './attribution.ts';
import { createDropReporter, type DropReporter } from './drop-reporter.ts';
import { DURATION_HISTOGRAMS, TOKEN_HISTOGRAMS } from './instruments.ts';
import { QueueGuardSpanProcessor } from './queue-guard.ts';
import { reportingMetricExporter, reportingSpanExporter } from './reporting-exporters.ts';

export interface Providers {
  tracerProvider: NodeTracerProvider;
  meterProvider: MeterProvider;
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
  const meterProvider = new MeterProvider({
    resource,
    views: histogramViews(),
    readers: [
      ...(config.exporter === 'otlp' ? [metricReader(config, metricDrops)] : []),
      ...config.metricReaders,
    ],
  });
  return { tracerProvider, meterProvider, drops: [spanDrops, metricDrops] };
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

function metricReader(config: ResolvedConfig, drops: DropReporter): PeriodicExportingMetricReader {
  const exporter = new OTLPMetricExporter({
    url: config.metricsUrl,
    headers: config.headers,
    timeoutMillis: config.exportTimeoutMs,
  });
  return new PeriodicExportingMetricReader({
    exporter: reportingMetricExporter(exporter, drops),
    exportIntervalMillis: config.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(config.exportTimeoutMs, config.metricExportIntervalMs),
  });
}

/** Views that give the GenAI histograms their bucket boundaries, whatever advice the instruments carry. */
function histogramViews(): ViewOptions[] {
  const view = (instrumentName: string, boundaries: readonly number[]): ViewOptions => ({
    instrumentName,
    aggregation: {
      type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
      options: { boundaries: [...boundaries] },
    },
  });
  return [
    ...DURATION_HISTOGRAMS.map((name) => view(name, GENAI_DURATION_BUCKETS_SECONDS)),
    ...TOKEN_HISTOGRAMS.map((name) => view(name, GENAI_TOKEN_BUCKETS)),
  ];
}
