import { Client, Metadata, credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export type Signal = 'traces' | 'metrics' | 'logs';

const GRPC_PATHS: Readonly<Record<Signal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/** One LLM call of a project, with the values the isolation tests look for. */
export interface CallSpec {
  traceId: string;
  spanId: string;
  serviceName: string;
  tenant: string;
  feature: string;
  userId: string;
  prompt: string;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  endUnixMs: number;
}

/** Records one chat span with the real OTel JS SDK and returns it as an OTLP protobuf request. */
export async function traceRequest(call: CallSpec): Promise<Uint8Array> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': call.serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    // The tests need the trace and span ids they chose, not random ones.
    idGenerator: { generateTraceId: () => call.traceId, generateSpanId: () => call.spanId },
  });
  const span = provider.getTracer('isolation-test').startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    startTime: call.endUnixMs - call.durationMs,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': call.inputTokens,
      'gen_ai.usage.output_tokens': call.outputTokens,
      'gen_ai.response.time_to_first_chunk': 0.35,
      'gen_ai.prompt': call.prompt,
      'tenant.id': call.tenant,
      'feature.name': call.feature,
      'user.id': call.userId,
    },
  });
  span.end(call.endUnixMs);
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return ProtobufTraceSerializer.serializeRequest(spans)!;
}

/** A pull reader: `collect()` returns what the SDK would hand to an exporter. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Records GenAI call duration and token usage of `model` and returns an OTLP protobuf request. */
export async function metricsRequest(
  serviceName: string,
  model: string,
  tenant: string,
  feature: string,
): Promise<Uint8Array> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    readers: [reader],
  });
  const meter = provider.getMeter('isolation-test');
  const attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    'tenant.id': tenant,
    'feature.name': feature,
  };
  const duration = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's' });
  for (const seconds of [0.4, 0.9, 1.7]) duration.record(seconds, attributes);
  const tokens = meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}' });
  tokens.record(900, { ...attributes, 'gen_ai.token.type': 'input' });
  tokens.record(60, { ...attributes, 'gen_ai.token.type': 'output' });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!;
}

/** Records one log record on a span, with `body` as its text, and returns an OTLP protobuf request. */
export async function logsRequest(
  serviceName: string,
  traceId: string,
  spanId: string,
  body: string,
): Promise<Uint8Array> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  provider.getLogger('isolation-test').emit({
    body,
    attributes: { 'log.kind': 'isolation' },
    context: trace.setSpanContext(ROOT_CONTEXT, {
      traceId,
      spanId,
      traceFlags: TraceFlags.SAMPLED,
    }),
  });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return ProtobufLogsSerializer.serializeRequest(records)!;
}

/** Posts an OTLP protobuf request to `<baseUrl>/v1/<signal>` with an ingest key and returns the status. */
export async function postOtlp(
  baseUrl: string,
  signal: Signal,
  body: Uint8Array,
  key: string,
): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/${signal}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${key}` },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Sends an OTLP protobuf request over gRPC with an ingest key and returns the status code. */
export function grpcOtlp(
  address: string,
  signal: Signal,
  body: Uint8Array,
  key: string,
): Promise<GrpcStatus> {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  const client = new Client(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      GRPC_PATHS[signal],
      (value: Buffer) => value,
      (value: Buffer) => value,
      Buffer.from(body),
      metadata,
      (error) => {
        client.close();
        resolve(error?.code ?? GrpcStatus.OK);
      },
    );
  });
}
