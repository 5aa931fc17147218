import { createRequire } from 'node:module';
import path from 'node:path';
import { metrics, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricProducer,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type OpenAI from 'openai';
import * as currentSdk from '../../packages/sdk/src/index.ts';
import { cannedFetch } from './canned-fetch.ts';
import { requirePeer } from './peers.ts';

export const VARIANT_NAMES = [
  'uninstrumented',
  'foghorn',
  'foghorn-spans-only',
  'foghorn-built-reader',
  'otel-instrumentation-openai',
  'traceloop-instrumentation-openai',
  'traceloop-node-server-sdk',
] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** Counts exported spans and discards them, so every variant pays the same export cost: none. */
export class CountingSpanExporter implements SpanExporter {
  spanCount = 0;
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.spanCount += spans.length;
    resultCallback({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

const discardMetrics: PushMetricExporter = {
  export: (_metrics, resultCallback) => resultCallback({ code: ExportResultCode.SUCCESS }),
  forceFlush: async () => {},
  shutdown: async () => {},
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};

function metricReader(
  options: { metricProducers?: MetricProducer[] } = {},
): PeriodicExportingMetricReader {
  return new PeriodicExportingMetricReader({
    exporter: discardMetrics,
    exportIntervalMillis: 3_600_000,
    ...options,
  });
}

type FoghornSdkModule = typeof currentSdk;

/**
 * The `@foghorn/sdk` entry the variants run: this repository's, or the copy
 * named by the environment variable `FOGHORN_BENCH_BASELINE_SDK`, which
 * `--baseline-sdk` sets to compare an older version in the same run.
 */
async function loadSdk(): Promise<{ sdk: FoghornSdkModule; isBaseline: boolean }> {
  const baselinePath = process.env.FOGHORN_BENCH_BASELINE_SDK;
  if (baselinePath === undefined || baselinePath === '')
    return { sdk: currentSdk, isBaseline: false };
  return { sdk: (await import(baselinePath)) as FoghornSdkModule, isBaseline: true };
}

export interface Variant {
  /** A client of a copy of `openai` loaded before any instrumentation, which no variant touches. */
  plain: OpenAI;
  /** A client of a second copy of `openai`, loaded after the variant's instrumentation. */
  client: OpenAI;
  spans: CountingSpanExporter;
  flush(): Promise<void>;
  /**
   * Returns how many calls the variant's `gen_ai.client.operation.duration`
   * histogram counted so far, read from its metric reader. Only the Foghorn
   * variants have it, because the bench holds only their readers.
   */
  recordedCalls?: () => Promise<number>;
}

type OpenAiClass = typeof OpenAI;
const require = createRequire(import.meta.url);
const clientOptions = {
  apiKey: 'sk-bench',
  baseURL: 'http://127.0.0.1:9/v1',
  maxRetries: 0,
  fetch: cannedFetch,
};

const OPENAI_FOLDER = `${path.sep}node_modules${path.sep}openai${path.sep}`;

/**
 * Loads a fresh copy of the CommonJS build of `openai`: every module of the
 * package is dropped from the require cache first, so the copy has its own
 * classes, and a `require` hook installed since the last load patches it.
 */
function requireFreshOpenAi(): OpenAiClass {
  for (const file of Object.keys(require.cache)) {
    if (file.includes(OPENAI_FOLDER)) delete require.cache[file];
  }
  return (require('openai') as { OpenAI: OpenAiClass }).OpenAI;
}

/** Registers a tracer provider with a batch processor and a meter provider, as a host app would. */
function hostProviders(spans: CountingSpanExporter): { flush(): Promise<void> } {
  const tracerProvider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(spans)],
  });
  tracerProvider.register();
  const meterProvider = new MeterProvider({ readers: [metricReader()] });
  metrics.setGlobalMeterProvider(meterProvider);
  return { flush: async () => void (await tracerProvider.forceFlush()) };
}

/**
 * Sets up one variant with its plain client. Each variant runs in its own
 * process, because the peers patch the `openai` module. Both clients are the
 * same CommonJS build, loaded twice, so the `uninstrumented` variant compares
 * two identical copies and shows the noise of the method.
 */
export async function createVariant(name: VariantName): Promise<Variant> {
  return { plain: createPlainClient(), ...(await instrumentVariant(name)) };
}

/** Creates a client of a fresh copy of `openai`; call it before any instrumentation is set up. */
export function createPlainClient(): OpenAI {
  return new (requireFreshOpenAi())(clientOptions);
}

/** A variant's instrumented client, its exporter and its flush. */
export type InstrumentedClient = Omit<Variant, 'plain'>;

/**
 * Instruments a fresh copy of `openai` as the variant does. With
 * `registerGlobal` false, the Foghorn variants leave the OTel globals to
 * another variant in the same process.
 */
export async function instrumentVariant(
  name: VariantName,
  registerGlobal = true,
): Promise<InstrumentedClient> {
  const spans = new CountingSpanExporter();
  switch (name) {
    case 'uninstrumented': {
      const host = hostProviders(spans);
      return { client: new (requireFreshOpenAi())(clientOptions), spans, flush: host.flush };
    }
    case 'foghorn':
    case 'foghorn-spans-only':
    case 'foghorn-built-reader': {
      const { sdk: foghorn, isBaseline } = await loadSdk();
      let reader: PeriodicExportingMetricReader | null = null;
      const keepReader = (options?: { metricProducers?: MetricProducer[] }) => {
        reader = metricReader(options);
        return reader;
      };
      const initWith = (builtReader: boolean): ReturnType<FoghornSdkModule['init']> =>
        foghorn.init({
          metrics: name !== 'foghorn-spans-only',
          exporter: 'none',
          registerGlobal,
          spanProcessors: [new BatchSpanProcessor(spans)],
          metricReaders: [builtReader ? keepReader() : (options) => keepReader(options)],
        });
      let sdk: ReturnType<FoghornSdkModule['init']>;
      try {
        sdk = initWith(name === 'foghorn-built-reader');
      } catch (error) {
        // A baseline from before the metric producer rejects a reader factory and gets a built reader.
        if (!isBaseline) throw error;
        sdk = initWith(true);
      }
      const client = foghorn.instrumentOpenAI(new (requireFreshOpenAi())(clientOptions));
      return {
        client,
        spans,
        flush: () => sdk.forceFlush(),
        recordedCalls: () => countOperations(reader),
      };
    }
    case 'otel-instrumentation-openai': {
      const host = hostProviders(spans);
      const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
      const instrumentation = new OpenAIInstrumentation();
      instrumentation.setTracerProvider(trace.getTracerProvider());
      instrumentation.setMeterProvider(metrics.getMeterProvider());
      return { client: new (requireFreshOpenAi())(clientOptions), spans, flush: host.flush };
    }
    case 'traceloop-instrumentation-openai': {
      const host = hostProviders(spans);
      const { OpenAIInstrumentation } = await import('@traceloop/instrumentation-openai');
      const instrumentation = new OpenAIInstrumentation({
        traceContent: false,
        enrichTokens: false,
      });
      instrumentation.setTracerProvider(trace.getTracerProvider());
      const OpenAiClass = requireFreshOpenAi();
      instrumentation.manuallyInstrument(OpenAiClass as never);
      return { client: new OpenAiClass(clientOptions), spans, flush: host.flush };
    }
    case 'traceloop-node-server-sdk':
      return startTraceloopSdk(spans);
  }
}

/** Sums the counts of the `gen_ai.client.operation.duration` points that `reader` collects now. */
async function countOperations(reader: PeriodicExportingMetricReader | null): Promise<number> {
  if (reader === null) return 0;
  const { resourceMetrics } = await reader.collect();
  let count = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== 'gen_ai.client.operation.duration') continue;
      for (const point of metric.dataPoints) count += (point.value as { count: number }).count;
    }
  }
  return count;
}

interface TraceloopSdk {
  initialize(options: Record<string, unknown>): unknown;
  forceFlush(): Promise<void>;
}

/**
 * Starts `@traceloop/node-server-sdk` with the bench's exporter in place of its
 * OTLP exporter. Prompts and completions are off, as Foghorn's content capture
 * is by default. Prompt registry sync is off, and so is token counting by
 * tokenizer (`TRACELOOP_ENRICH_TOKENS`), which only this peer would do.
 */
function startTraceloopSdk(spans: CountingSpanExporter): InstrumentedClient {
  process.env.TRACELOOP_ENRICH_TOKENS = 'false';
  process.env.OTEL_METRICS_EXPORTER = 'none';
  process.env.OTEL_LOGS_EXPORTER = 'none';
  const traceloop = requirePeer<TraceloopSdk>('@traceloop/node-server-sdk');
  const OpenAiClass = requireFreshOpenAi();
  traceloop.initialize({
    appName: 'sdk-bench',
    exporter: spans,
    traceContent: false,
    traceloopSyncEnabled: false,
    silenceInitializationMessage: true,
    instrumentModules: { openAI: OpenAiClass },
  });
  return { client: new OpenAiClass(clientOptions), spans, flush: () => traceloop.forceFlush() };
}
