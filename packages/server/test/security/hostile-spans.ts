import { SpanKind, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Name of the page binding every payload calls when it runs. */
export const PWNED_BINDING = '__foghornPwned';

/** Markup that runs `PWNED_BINDING` when a page parses it as HTML or follows it as a link. */
export const PAYLOADS = Object.freeze({
  script: `<script>window.${PWNED_BINDING}('script')</script>`,
  img: `<img src=x onerror="window.${PWNED_BINDING}('img')">`,
  link: `<a href="javascript:window.${PWNED_BINDING}('link')">open</a>`,
  svg: `<svg onload="window.${PWNED_BINDING}('svg')"></svg>`,
  iframe: `<iframe srcdoc="<script>parent.${PWNED_BINDING}('iframe')</script>"></iframe>`,
});

const ALL_PAYLOADS = Object.values(PAYLOADS).join(' ');

/** One hostile LLM span per attribute dialect Foghorn reads. */
export const HOSTILE_DIALECTS: Readonly<Record<string, Attributes>> = Object.freeze({
  'otel-genai': {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.input.messages': JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: `otel prompt ${PAYLOADS.script}` }] },
    ]),
    'gen_ai.output.messages': JSON.stringify([
      { role: 'assistant', parts: [{ type: 'text', content: `otel answer ${ALL_PAYLOADS}` }] },
    ]),
  },
  openinference: {
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o-mini',
    'llm.provider': 'openai',
    'input.value': JSON.stringify({
      messages: [{ role: 'user', content: `oi prompt ${PAYLOADS.img}` }],
    }),
    'input.mime_type': 'application/json',
    'output.value': `oi answer ${ALL_PAYLOADS}`,
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': `oi message ${PAYLOADS.svg}`,
  },
  openllmetry: {
    'llm.request.type': 'chat',
    'gen_ai.system': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.prompt.0.role': 'user',
    'gen_ai.prompt.0.content': `ollm prompt ${PAYLOADS.link}`,
    'gen_ai.completion.0.role': 'assistant',
    'gen_ai.completion.0.content': `ollm answer ${ALL_PAYLOADS}`,
  },
  'vercel-ai': {
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.model.id': 'gpt-4o-mini',
    'ai.model.provider': 'openai.chat',
    'ai.prompt.messages': JSON.stringify([
      { role: 'user', content: [{ type: 'text', text: `vercel prompt ${PAYLOADS.iframe}` }] },
    ]),
    'ai.response.text': `vercel answer ${ALL_PAYLOADS}`,
  },
});

/** Sends one chat span per dialect through the OTel SDK's OTLP exporter; returns trace ids by dialect. */
export async function sendHostileSpans(tracesUrl: string): Promise<Record<string, string>> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'hostile-app' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
  });
  const tracer = provider.getTracer('foghorn-security-test');
  const traceIds: Record<string, string> = {};
  for (const [dialect, attributes] of Object.entries(HOSTILE_DIALECTS)) {
    const span = tracer.startSpan(`chat ${PAYLOADS.img}`, { kind: SpanKind.CLIENT, attributes });
    span.end();
    traceIds[dialect] = span.spanContext().traceId;
  }
  await provider.forceFlush();
  await provider.shutdown();
  return traceIds;
}
