/**
 * Measures the OTLP trace decoders on one request of 512 GenAI spans of about
 * 3 KB each, encoded by the OTel JS SDK's own serializers
 * (`@opentelemetry/otlp-transformer`). As a baseline it times `JSON.parse`
 * alone on the equivalent OTLP/JSON body.
 *
 * Run: npx tsx bench/decode/decode-bench.ts [--seconds=2] [--only=protobuf|json|parse]
 */
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import os from 'node:os';
import {
  decodeTraceRequestJson,
  decodeTraceRequestProtobuf,
} from '../../packages/server/src/ingest/otlp/index.ts';

const SPAN_COUNT = 512;
const DEFAULT_SECONDS_PER_CASE = 2;
const TOOL_DEFINITIONS = JSON.stringify([
  {
    type: 'function',
    name: 'lookup_order',
    description: 'Returns the shipping status of an order',
    parameters: {
      type: 'object',
      properties: { orderId: { type: 'string' } },
      required: ['orderId'],
    },
  },
]);

interface BenchCase {
  key: string;
  name: string;
  run: () => number;
}

function readSecondsPerCase(): number {
  const argument = process.argv.find((arg) => arg.startsWith('--seconds='));
  const seconds = argument === undefined ? DEFAULT_SECONDS_PER_CASE : Number(argument.slice(10));
  if (!(seconds > 0 && seconds <= 60))
    throw new Error(`--seconds must be from 0 to 60, got ${argument}`);
  return seconds;
}

/** Builds the messages of one chat call; `index` varies the text so no two spans are equal. */
function buildMessages(index: number): { input: string; output: string } {
  const input = [
    {
      role: 'system',
      parts: [
        {
          type: 'text',
          content:
            'You are the support assistant of an online shop. Answer briefly, cite the order ' +
            'number, and call lookup_order before you state a delivery date. '.repeat(11),
        },
      ],
    },
    {
      role: 'user',
      parts: [
        {
          type: 'text',
          content: `Where is order A-${1000 + index}? It was due last Tuesday and I need it for a trip on Friday. Can you check whether it has shipped, and if not, cancel it? `,
        },
      ],
    },
    {
      role: 'assistant',
      parts: [
        {
          type: 'tool_call',
          id: `call_${index}`,
          name: 'lookup_order',
          arguments: { orderId: `A-${1000 + index}` },
        },
      ],
    },
    {
      role: 'tool',
      parts: [
        {
          type: 'tool_call_response',
          id: `call_${index}`,
          response: { status: 'shipped', carrier: 'DHL', eta: '2026-09-12', items: 3 },
        },
      ],
    },
  ];
  const output = [
    {
      role: 'assistant',
      finish_reason: 'stop',
      parts: [
        {
          type: 'text',
          content:
            `Order A-${1000 + index} shipped with DHL and should arrive on 12 September, before your trip. I did not cancel it. Ünïcödé ✓ `.repeat(
              6,
            ),
        },
      ],
    },
  ];
  return { input: JSON.stringify(input), output: JSON.stringify(output) };
}

function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'support-bot',
      'deployment.environment.name': 'bench',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bench.genai', '1.0.0');
  for (let i = 0; i < SPAN_COUNT; i++) {
    const messages = buildMessages(i);
    const span = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.request.temperature': 0.7,
        'gen_ai.request.max_tokens': 1024,
        'server.address': 'api.openai.com',
        'server.port': 443,
        'tenant.id': `tenant-${i % 17}`,
        'app.feature': i % 2 === 0 ? 'order-status' : 'returns',
        'gen_ai.input.messages': messages.input,
        'gen_ai.tool.definitions': TOOL_DEFINITIONS,
      },
    });
    span.setAttributes({
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': `chatcmpl-${i.toString(36).padStart(8, '0')}B9xq2LmPzT`,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 412 + i,
      'gen_ai.usage.output_tokens': 27 + (i % 50),
      'gen_ai.usage.cache_read.input_tokens': 256,
      'gen_ai.output.messages': messages.output,
    });
    if (i % 25 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    span.end();
  }
  return exporter.getFinishedSpans();
}

const ROUND_MS = 250;

/** Runs one round of about ROUND_MS and returns its rate in spans per second. */
function measureRound(benchCase: BenchCase): number {
  let requests = 0;
  const startMs = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < ROUND_MS) {
    if (benchCase.run() !== SPAN_COUNT)
      throw new Error(`${benchCase.name} did not return ${SPAN_COUNT} spans`);
    requests++;
    elapsedMs = performance.now() - startMs;
  }
  return (requests * SPAN_COUNT * 1000) / elapsedMs;
}

/**
 * Prints the median and the best round. On a shared machine the best round
 * is the closer estimate of the decoder's own cost.
 */
function measure(benchCase: BenchCase, secondsPerCase: number): void {
  for (let i = 0; i < 5; i++) benchCase.run();
  const roundCount = Math.max(3, Math.round((secondsPerCase * 1000) / ROUND_MS));
  const rates = Array.from({ length: roundCount }, () => measureRound(benchCase)).sort(
    (a, b) => a - b,
  );
  const median = rates[Math.floor(rates.length / 2)]!;
  const best = rates[rates.length - 1]!;
  const format = (rate: number): string =>
    `${Math.round(rate).toLocaleString('en-US').padStart(9)} spans/s (${(1e6 / rate).toFixed(2)} us/span)`;
  console.log(`${benchCase.name.padEnd(34)} median ${format(median)}  best ${format(best)}`);
}

function countSpans(request: { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }): number {
  let count = 0;
  for (const resourceSpans of request.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) count += scopeSpans.spans.length;
  }
  return count;
}

function main(): void {
  const secondsPerCase = readSecondsPerCase();
  const spans = recordSpans();
  const protobufBody = ProtobufTraceSerializer.serializeRequest(spans);
  const jsonBytes = JsonTraceSerializer.serializeRequest(spans);
  if (protobufBody === undefined || jsonBytes === undefined)
    throw new Error('the serializer returned no body');
  const jsonText = new TextDecoder().decode(jsonBytes);

  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, one thread`);
  console.log(
    `request: ${SPAN_COUNT} spans, protobuf ${protobufBody.length} bytes ` +
      `(${Math.round(protobufBody.length / SPAN_COUNT)} bytes/span), OTLP/JSON ${jsonText.length} characters`,
  );
  const cases: BenchCase[] = [
    {
      key: 'protobuf',
      name: 'decodeTraceRequestProtobuf',
      run: () => countSpans(decodeTraceRequestProtobuf(protobufBody).request),
    },
    {
      key: 'json',
      name: 'decodeTraceRequestJson',
      run: () => countSpans(decodeTraceRequestJson(jsonText).request),
    },
    {
      key: 'parse',
      name: 'JSON.parse of the OTLP/JSON body',
      run: () => countSpans(JSON.parse(jsonText) as never),
    },
  ];
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice(7);
  for (const benchCase of cases) {
    if (only === undefined || benchCase.key === only) measure(benchCase, secondsPerCase);
  }
}

main();
