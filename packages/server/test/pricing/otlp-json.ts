/** Builds OTLP/JSON trace bodies for the pricing tests. */
export interface TestSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startUnixMs: number;
  durationMs?: number;
  attributes: Record<string, string | number>;
}

function attributeList(attributes: Record<string, string | number>) {
  return Object.entries(attributes).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
  }));
}

export function traceBody(
  spans: readonly TestSpan[],
  resource: Record<string, string | number> = {},
): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: attributeList({ 'service.name': 'pricing-test', ...resource }) },
        scopeSpans: [
          {
            scope: { name: 'pricing-test' },
            spans: spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: 3,
              startTimeUnixNano: String(BigInt(span.startUnixMs) * 1_000_000n),
              endTimeUnixNano: String(
                BigInt(span.startUnixMs + (span.durationMs ?? 800)) * 1_000_000n,
              ),
              attributes: attributeList(span.attributes),
              status: {},
            })),
          },
        ],
      },
    ],
  });
}

export async function postTraces(url: string, body: string): Promise<void> {
  const response = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  if (response.status !== 200)
    throw new Error(`OTLP export failed with ${response.status}: ${await response.text()}`);
}

export function llmAttributes(
  provider: string,
  model: string,
  tokens: { input: number; output: number; cacheRead?: number; cacheWrite?: number },
): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': model,
    'gen_ai.usage.input_tokens': tokens.input,
    'gen_ai.usage.output_tokens': tokens.output,
  };
  if (tokens.cacheRead !== undefined)
    attributes['gen_ai.usage.cache_read.input_tokens'] = tokens.cacheRead;
  if (tokens.cacheWrite !== undefined)
    attributes['gen_ai.usage.cache_write.input_tokens'] = tokens.cacheWrite;
  return attributes;
}

export async function sendJson(
  url: string,
  method: string,
  body: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export const hex = (value: number, width: number): string =>
  value.toString(16).padStart(width, '0');
