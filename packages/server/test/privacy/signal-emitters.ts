import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export const DAY_MS = 86_400_000;

/** One conversation: a root span with the user id and a chat span with content but no user id. */
export interface TraceSpec {
  userId: string;
  startMs: number;
  /** Text put in the chat span's input messages. */
  content: string;
}

/** Sends traces through the OTel SDK's OTLP/protobuf exporter and returns their trace ids in order. */
export async function emitTraces(otlpUrl: string, specs: readonly TraceSpec[]): Promise<string[]> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'retention-test' }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` }), {
        maxExportBatchSize: 256,
        maxQueueSize: 8192,
      }),
    ],
  });
  const tracer = provider.getTracer('retention-test');
  const traceIds: string[] = [];
  for (const spec of specs) {
    const root = tracer.startSpan('invoke_agent support', {
      startTime: spec.startMs,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'user.id': spec.userId },
    });
    const chat = tracer.startSpan(
      'chat gpt-4o',
      {
        kind: SpanKind.CLIENT,
        startTime: spec.startMs + 5,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 30,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: spec.content }] },
          ]),
        },
      },
      trace.setSpan(context.active(), root),
    );
    chat.end(spec.startMs + 400);
    root.end(spec.startMs + 450);
    traceIds.push(root.spanContext().traceId);
  }
  await provider.forceFlush();
  await provider.shutdown();
  return traceIds;
}

/** One log record: on a trace, or carrying a user id attribute, at a time in the past. */
export interface LogSpec {
  timeMs: number;
  body: string;
  traceId?: string;
  userId?: string;
}

export async function emitLogs(otlpUrl: string, specs: readonly LogSpec[]): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'retention-test' }),
    processors: [
      new SimpleLogRecordProcessor({
        exporter: new OTLPLogExporter({ url: `${otlpUrl}/v1/logs` }),
      }),
    ],
  });
  const logger = provider.getLogger('retention-test');
  for (const spec of specs) {
    const parent =
      spec.traceId === undefined
        ? context.active()
        : trace.setSpanContext(context.active(), {
            traceId: spec.traceId,
            spanId: '00f067aa0ba902b7',
            traceFlags: 1,
          });
    logger.emit({
      eventName: 'gen_ai.user.message',
      timestamp: spec.timeMs,
      context: parent,
      body: { content: spec.body },
      attributes: spec.userId === undefined ? {} : { 'user.id': spec.userId },
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
}

/** Posts gauge points as OTLP/JSON, which lets each point carry its own time. */
export async function postGaugePoints(
  otlpUrl: string,
  points: readonly { timeMs: number; userId: string; value: number }[],
): Promise<void> {
  const body = {
    resourceMetrics: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { stringValue: 'retention-test' } }],
        },
        scopeMetrics: [
          {
            scope: { name: 'retention-test' },
            metrics: [
              {
                name: 'gen_ai.client.active_requests',
                unit: '{request}',
                gauge: {
                  dataPoints: points.map((point) => ({
                    timeUnixNano: String(BigInt(point.timeMs) * 1_000_000n),
                    asDouble: point.value,
                    attributes: [{ key: 'user.id', value: { stringValue: point.userId } }],
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
  const response = await fetch(`${otlpUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`metrics POST failed with HTTP ${response.status}: ${await response.text()}`);
}

export async function postScore(url: string, traceId: string, timeMs: number): Promise<void> {
  const response = await fetch(`${url}/api/v1/scores`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ traceId, name: 'helpfulness', value: 0.8, timestamp: timeMs }),
  });
  if (!response.ok)
    throw new Error(`score POST failed with HTTP ${response.status}: ${await response.text()}`);
}
