import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequestJson } from '../../src/ingest/otlp/index.ts';
import type { OtlpSpan, OtlpTraceRequest } from '../../src/ingest/otlp/otlp-model.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES_DIR = join(REPOSITORY_ROOT, '..', 'shared', 'fixtures');
const fixturesPresent = existsSync(FIXTURES_DIR);
if (!fixturesPresent) console.warn(`Skipping OTLP fixture tests: ${FIXTURES_DIR} does not exist.`);

/** Files in OTLP/JSON export request format carry the `.otlp.json` suffix. */
function listExportRequests(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listExportRequests(path);
    return entry.name.endsWith('.otlp.json') ? [path] : [];
  });
}

function decodeFixture(name: string): OtlpTraceRequest {
  return decodeTraceRequestJson(readFileSync(join(FIXTURES_DIR, 'genai-interlingua', name), 'utf8'))
    .request;
}

function spanNamed(request: OtlpTraceRequest, name: string): OtlpSpan {
  const spans = request.resourceSpans.flatMap((resource) =>
    resource.scopeSpans.flatMap((scope) => scope.spans),
  );
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) throw new Error(`no span named ${name}`);
  return span;
}

describe.skipIf(!fixturesPresent)('JSON trace decoder on recorded fixtures', () => {
  const files = fixturesPresent ? listExportRequests(FIXTURES_DIR) : [];

  it('finds export requests', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files.map((file) => [relative(FIXTURES_DIR, file), file]))('%s', (_name, file) => {
    const result = decodeTraceRequestJson(readFileSync(file, 'utf8'));
    const spanCount = result.request.resourceSpans
      .flatMap((resource) => resource.scopeSpans)
      .reduce((sum, scope) => sum + scope.spans.length, 0);
    expect(spanCount).toBeGreaterThan(0);
    expect(result.rejectedSpans).toBe(0);
    expect(result.rejectionMessage).toBe('');
  });

  it('OpenLLMetry openai.chat span', () => {
    const request = decodeFixture(
      'openllmetry-traceloop-sdk-0.62.3_openai-chat-tool-call.otlp.json',
    );
    const span = spanNamed(request, 'openai.chat');
    expect(span.traceId).toBe('77d66be22a4ffc8149309684b3a319f7');
    expect(span.spanId).toBe('76a26812b532f640');
    expect(span.parentSpanId).toBe('aaa24d5a6cca68bf');
    expect(span.kind).toBe(3);
    expect(span.startTimeUnixNano).toBe(1788789263812545000n);
    expect(span.endTimeUnixNano).toBe(1788789263838423000n);
    expect(span.status).toEqual({ code: 0, message: '' });
    expect(span.flags).toBe(256);
    expect(span.attributes['gen_ai.request.max_tokens']).toBe(1024);
    expect(span.attributes['gen_ai.request.temperature']).toBe(0.7);
    expect(span.attributes['gen_ai.is_streaming']).toBe(false);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_call']);
    expect(span.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(256);
    expect(span.attributes['gen_ai.response.id']).toBe('chatcmpl-CD8yqQ2y3kZs1o0Wm7bT');
    const scope = request.resourceSpans[0]!.scopeSpans[0]!.scope;
    expect(scope).toEqual({
      name: 'opentelemetry.instrumentation.openai.v1',
      version: '0.62.3',
      attributes: {},
    });
  });

  it('OpenInference ChatCompletion span', () => {
    const request = decodeFixture('openinference-openai-0.1.58_chat-tool-call.otlp.json');
    const span = spanNamed(request, 'ChatCompletion');
    expect(span.traceId).toBe('9ed94f9bdc36b397e11c51f77d49e01a');
    expect(span.spanId).toBe('e9856d6fe698c4f2');
    expect(span.parentSpanId).toBe('');
    expect(span.kind).toBe(1);
    expect(span.startTimeUnixNano).toBe(1788787518970589000n);
    expect(span.status).toEqual({ code: 1, message: '' });
    expect(span.attributes['llm.token_count.prompt']).toBe(412);
    expect(span.attributes['llm.token_count.completion_details.reasoning']).toBe(8);
    expect(span.attributes['llm.input_messages.1.message.content']).toBe('Where is order A-1187?');
    expect(
      span.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments'],
    ).toBe('{"order_id": "A-1187"}');
    expect(request.resourceSpans[0]!.resource['service.instance.id']).toBe(
      '2b1a54ec-805d-45c8-a814-a9dce7701783',
    );
  });
});
