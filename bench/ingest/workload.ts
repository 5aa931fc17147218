import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export const SPANS_PER_REQUEST = 512;
const MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'claude-3-5-haiku-20241022',
  'gemini-2.0-flash',
  'o3-mini',
];
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];

/** About 2.5 KB of message JSON, with one email in ten spans so redaction has work. */
function messages(index: number): { input: string; output: string } {
  const contact = index % 10 === 0 ? ` Reach me at user${index}@example.com.` : '';
  const input = JSON.stringify([
    {
      role: 'system',
      parts: [
        {
          type: 'text',
          content:
            'You are the support assistant of an online shop. Answer briefly and cite the order number. '.repeat(
              12,
            ),
        },
      ],
    },
    {
      role: 'user',
      parts: [
        {
          type: 'text',
          content: `Where is order A-${1000 + index}? It was due last Tuesday and I need it by Friday.${contact}`,
        },
      ],
    },
  ]);
  const output = JSON.stringify([
    {
      role: 'assistant',
      finish_reason: 'stop',
      parts: [
        {
          type: 'text',
          content:
            `Order A-${1000 + index} shipped with DHL on 2026-09-10 and should arrive within two days. `.repeat(
              4,
            ),
        },
      ],
    },
  ]);
  return { input, output };
}

/** Records one request's worth of GenAI spans with the real OTel JS SDK. */
function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'bench-app',
      'deployment.environment.name': 'bench',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench');
  const startMs = Date.now() - 60_000;
  for (let i = 0; i < SPANS_PER_REQUEST; i++) {
    const model = MODELS[i % MODELS.length]!;
    const { input, output } = messages(i);
    const span = tracer.startSpan(`chat ${model}`, {
      kind: SpanKind.CLIENT,
      startTime: startMs + i,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': model.startsWith('claude')
          ? 'anthropic'
          : model.startsWith('gemini')
            ? 'gcp.gemini'
            : 'openai',
        'gen_ai.request.model': model,
        'gen_ai.response.model': model,
        'gen_ai.response.id': `chatcmpl-${i}`,
        'gen_ai.usage.input_tokens': 900 + i,
        'gen_ai.usage.cache_read.input_tokens': 256,
        'gen_ai.usage.output_tokens': 120 + (i % 50),
        'gen_ai.request.temperature': 0.2,
        'gen_ai.input.messages': input,
        'gen_ai.output.messages': output,
        'tenant.id': TENANTS[i % TENANTS.length]!,
        'feature.name': i % 2 === 0 ? 'support-chat' : 'rag-search',
        'user.id': `user-${i % 97}`,
      },
    });
    if (i % 50 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    span.end(startMs + i + 300 + (i % 700));
  }
  return exporter.getFinishedSpans();
}

/** A protobuf request template and the byte offsets of every trace id and span id in it. */
export interface RequestTemplate {
  body: Buffer;
  traceIdOffsets: number[];
  /** Span ids, parent span ids included: each copy of an id is rewritten the same way. */
  spanIdOffsets: number[];
  spanCount: number;
}

/** Returns every offset at which `id` occurs in `body`. */
function offsetsOf(body: Buffer, id: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = body.indexOf(id); at !== -1; at = body.indexOf(id, at + id.length))
    offsets.push(at);
  return offsets;
}

export function buildTemplate(): RequestTemplate {
  const spans = recordSpans();
  const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  const traceIdOffsets: number[] = [];
  const spanIdOffsets: number[] = [];
  for (const span of spans) {
    const { traceId, spanId } = span.spanContext();
    traceIdOffsets.push(...offsetsOf(body, Buffer.from(traceId, 'hex')));
    spanIdOffsets.push(...offsetsOf(body, Buffer.from(spanId, 'hex')));
  }
  return { body, traceIdOffsets, spanIdOffsets, spanCount: spans.length };
}

/** XORs the `mask.length` bytes at each offset with `mask`. */
function maskIds(body: Buffer, offsets: readonly number[], mask: Buffer): void {
  for (const offset of offsets) {
    for (let i = 0; i < mask.length; i++) body[offset + i]! ^= mask[i]!;
  }
}

/**
 * Copies the template with every trace id and span id XORed with masks drawn
 * from `sequence`. The ids then look as random as an SDK's, as in real traffic,
 * so no request repeats another's spans and no two requests share id prefixes.
 * XOR keeps ids that were equal equal, so parent references still match.
 */
export function makeRequest(template: RequestTemplate, sequence: number, gzip: boolean): Buffer {
  const body = Buffer.from(template.body);
  const masks = createHash('sha256').update(`foghorn-bench-request-${sequence}`).digest();
  maskIds(body, template.traceIdOffsets, masks.subarray(0, 16));
  maskIds(body, template.spanIdOffsets, masks.subarray(16, 24));
  return gzip ? gzipSync(body, { level: 1 }) : body;
}
