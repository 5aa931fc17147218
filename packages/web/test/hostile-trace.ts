/// <reference types="node" />
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Markup a model could echo back: a script element and an image with an event handler. */
export const HOSTILE_COMPLETION =
  '<script>window.__foghornXss = "script"</script> and <img src=x onerror="window.__foghornXss = \'img\'; alert(1)">';

/**
 * Exports one chat span whose prompt and completion carry markup, through the real OTel
 * SDK, and returns its trace id.
 */
export async function sendHostileCompletion(tracesUrl: string): Promise<string> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'hostile-app' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
  });
  const span = provider.getTracer('foghorn-e2e').startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.input.messages': JSON.stringify([
        {
          role: 'user',
          parts: [{ type: 'text', content: 'Reply with <b onmouseover=alert(2)>bold</b>' }],
        },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: HOSTILE_COMPLETION }] },
      ]),
    },
  });
  span.end();
  const traceId = span.spanContext().traceId;
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}
