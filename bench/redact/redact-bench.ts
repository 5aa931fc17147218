/**
 * Measures the cost of the default redaction policy on ingest. Each case decodes
 * one protobuf request of 512 GenAI spans of about 3 KB (recorded through the
 * OTel JS SDK), then normalizes, attributes and prices it. The redacted case
 * also runs the default policy. One span in ten carries an email, a phone
 * number or a card number. Store writes are left out, so the ratio is a lower
 * bound of the ingest throughput kept.
 *
 * The two cases run in alternating rounds of four requests, timed in CPU time
 * of this process, and each prints the median round.
 *
 * Run: npx tsx bench/redact/redact-bench.ts [--seconds=2]
 */
import { SpanKind } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import os from 'node:os';
import { createRedactor } from '@foghorn/redact';
import { decodeTraceRequestProtobuf } from '../../packages/server/src/ingest/otlp/index.ts';
import { enrichTraceRequest } from '../../packages/server/src/ingest/trace-pipeline.ts';
import type { SpanPrivacy } from '../../packages/server/src/privacy/span-privacy.ts';
import { createIngestPrivacy } from '../../packages/server/src/privacy/telemetry-privacy.ts';

const SPAN_COUNT = 512;
const PII_SAMPLES = [
  'write to dana.k@example.com',
  'call +1 415 555 2671',
  'card 4111 1111 1111 1111',
];

function userText(index: number): string {
  const pii = index % 10 === 0 ? ` ${PII_SAMPLES[(index / 10) % PII_SAMPLES.length]}.` : '';
  return `Where is order A-${1000 + index}? It was due on Tuesday and I travel on Friday.${pii} Please check it.`;
}

function buildMessages(index: number): { input: string; output: string } {
  const system =
    'You are the support assistant of an online shop. Answer briefly and cite the order number. '.repeat(
      13,
    );
  const input = [
    { role: 'system', parts: [{ type: 'text', content: system }] },
    { role: 'user', parts: [{ type: 'text', content: userText(index) }] },
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
          response: { status: 'shipped', eta: '2026-09-12', items: 3 },
        },
      ],
    },
  ];
  const answer =
    `Order A-${1000 + index} shipped with DHL and should arrive on 12 September, before your trip. `.repeat(
      9,
    );
  const output = [
    { role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: answer }] },
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
  const tracer = provider.getTracer('bench.redact', '1.0.0');
  for (let i = 0; i < SPAN_COUNT; i++) {
    const messages = buildMessages(i);
    const span = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.request.temperature': 0.7,
        'server.address': 'api.openai.com',
        'tenant.id': `tenant-${i % 17}`,
        'user.id': `user-${i % 97}`,
        'gen_ai.input.messages': messages.input,
        'gen_ai.output.messages': messages.output,
        'gen_ai.response.id': `chatcmpl-${i.toString(36).padStart(8, '0')}B9xq2LmPzT`,
        'gen_ai.usage.input_tokens': 412 + i,
        'gen_ai.usage.output_tokens': 27 + (i % 50),
      },
    });
    span.end();
  }
  return exporter.getFinishedSpans();
}

/** CPU time of this process in milliseconds; unlike wall time it leaves out time other processes took. */
function cpuTimeMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Spans per CPU second of one round of `requests` requests. */
function measureRound(run: () => void, requests: number): number {
  const startMs = cpuTimeMs();
  for (let i = 0; i < requests; i++) run();
  return (requests * SPAN_COUNT * 1000) / Math.max(cpuTimeMs() - startMs, 0.001);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Alternates rounds of the two cases for `seconds` and returns the median spans
 * per CPU second of each, so load from other processes affects both alike.
 */
function measurePair(
  seconds: number,
  baseline: () => void,
  redacted: () => void,
): [number, number] {
  for (let i = 0; i < 5; i++) {
    baseline();
    redacted();
  }
  const rounds: [number[], number[]] = [[], []];
  const deadlineMs = performance.now() + seconds * 1000;
  while (performance.now() < deadlineMs || rounds[0].length < 5) {
    rounds[0].push(measureRound(baseline, 4));
    rounds[1].push(measureRound(redacted, 4));
  }
  return [median(rounds[0]), median(rounds[1])];
}

function printRate(name: string, spansPerSecond: number): void {
  console.log(
    `${name.padEnd(44)} ${Math.round(spansPerSecond).toLocaleString('en-US').padStart(10)} spans/s`,
  );
}

function main(): void {
  const argument = process.argv.find((arg) => arg.startsWith('--seconds='));
  const seconds = argument === undefined ? 2 : Number(argument.slice(10));
  if (!(seconds > 0 && seconds <= 60))
    throw new Error(`--seconds must be from 0 to 60, got ${argument}`);
  const body = ProtobufTraceSerializer.serializeRequest(recordSpans());
  if (body === undefined) throw new Error('the serializer returned no body');
  const passThrough: SpanPrivacy = {
    redactSpans: () => undefined,
    redactLogRecords: () => undefined,
    redactMetricsRequest: () => undefined,
    stats: () => {
      throw new Error('unused');
    },
    userIdentity: { userIdKeys: [], pseudonymize: () => null },
  };
  const redactor = createRedactor({ pseudonymSecret: 'bench-secret-0123456789abcdef' });
  const privacy = createIngestPrivacy(redactor, null);
  const ingest = (privacy: SpanPrivacy) => () => {
    enrichTraceRequest(decodeTraceRequestProtobuf(body).request, Date.now(), privacy);
  };

  const loadAverage = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
  console.log(
    `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, one thread, load average ${loadAverage}; medians of alternating rounds, per CPU second`,
  );
  console.log(
    `request: ${SPAN_COUNT} spans, ${Math.round(body.length / SPAN_COUNT)} protobuf bytes per span`,
  );
  const [baseline, redacted] = measurePair(seconds, ingest(passThrough), ingest(privacy));
  printRate('decode + enrich (pass-through)', baseline);
  printRate('decode + enrich + default redaction', redacted);
  const redactionOnlyUs = 1e6 / redacted - 1e6 / baseline;
  console.log(
    `redaction alone: ${redactionOnlyUs.toFixed(2)} us/span, ${Math.round(1e6 / redactionOnlyUs).toLocaleString('en-US')} spans/s`,
  );
  console.log(
    `throughput kept: ${((redacted / baseline) * 100).toFixed(1)} % (target: at least 70 %)`,
  );
  console.log(`replacements: ${JSON.stringify(redactor.stats().totals.byDetector)}`);
}

main();
