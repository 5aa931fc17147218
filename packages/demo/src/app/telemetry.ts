import type { Tracer } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** The services of the demo application, each with its own resource. */
export const DEMO_SERVICES = Object.freeze({
  'support-web': '2.14.0',
  'search-api': '1.9.3',
  'batch-summarizer': '0.8.1',
});
export type ServiceName = keyof typeof DEMO_SERVICES;

/**
 * Queue settings sized so backfill drops nothing: the demo flushes at least
 * every `BACKFILL_FLUSH_EVERY_REQUESTS` requests, which queue far fewer spans
 * than `maxQueueSize`.
 */
const BATCH_SETTINGS = Object.freeze({
  maxQueueSize: 100_000,
  maxExportBatchSize: 1_000,
  scheduledDelayMillis: 1_000,
  exportTimeoutMillis: 30_000,
});

export interface Telemetry {
  tracer(service: ServiceName): Tracer;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  spansExported(): number;
  spansFailed(): number;
}

/**
 * Creates one tracer provider per service, none registered globally, each
 * exporting OTLP/HTTP protobuf to `tracesUrl`.
 */
export function createTelemetry(tracesUrl: string, log: (line: string) => void): Telemetry {
  const counts: ExportCounts = { exported: 0, failed: 0, failedExports: 0 };
  const providers = new Map<ServiceName, NodeTracerProvider>();
  for (const [service, version] of Object.entries(DEMO_SERVICES) as [ServiceName, string][]) {
    const exporter = new CountingExporter(
      new OTLPTraceExporter({ url: tracesUrl }),
      counts,
      tracesUrl,
      log,
    );
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({
        'service.name': service,
        'service.version': version,
        'deployment.environment.name': 'production',
      }),
      spanProcessors: [new BatchSpanProcessor(exporter, BATCH_SETTINGS)],
    });
    providers.set(service, provider);
  }
  const all = [...providers.values()];
  return {
    tracer: (service) => providerOf(providers, service).getTracer('foghorn-demo-app', '0.1.0'),
    // Export failures are counted and logged by the exporters, so a flush never rejects.
    forceFlush: async () => {
      await Promise.allSettled(all.map((provider) => provider.forceFlush()));
    },
    shutdown: async () => {
      await Promise.allSettled(all.map((provider) => provider.shutdown()));
    },
    spansExported: () => counts.exported,
    spansFailed: () => counts.failed,
  };
}

function providerOf(
  providers: Map<ServiceName, NodeTracerProvider>,
  service: ServiceName,
): NodeTracerProvider {
  const provider = providers.get(service);
  if (provider === undefined) throw new Error(`unknown demo service '${service}'`);
  return provider;
}

interface ExportCounts {
  exported: number;
  failed: number;
  failedExports: number;
}

/** Counts exported and failed spans, and logs the first failed export and then every 100th. */
class CountingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly counts: ExportCounts,
    private readonly tracesUrl: string,
    private readonly log: (line: string) => void,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.counts.exported += spans.length;
      else this.recordFailure(spans.length, result.error);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  private recordFailure(spanCount: number, error: Error | undefined): void {
    this.counts.failed += spanCount;
    this.counts.failedExports += 1;
    const failedExports = this.counts.failedExports;
    if (failedExports === 1 || failedExports % 100 === 0) {
      this.log(
        `demo: export of ${spanCount} spans to ${this.tracesUrl} failed (${failedExports} failed exports so far): ` +
          `${error?.message ?? 'unknown error'}. Check that Foghorn is running and receives OTLP on that URL.`,
      );
    }
  }
}
