import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { decodeTraceRequestProtobuf } from '../../src/ingest/otlp/index.ts';

// Exposes gc() to this test. V8 applies a flag set at run time to contexts created afterwards,
// so the new context has it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Encodes one span named `name` with the OTel JS SDK, into an ArrayBuffer of its own. */
function traceBody(name: string): Uint8Array {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  provider.getTracer('regression').startSpan(name).end();
  return new Uint8Array(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!);
}

/** Decodes a fresh body and returns a weak reference to its memory, the only reference left. */
function decodeFreshBody(name: string): WeakRef<ArrayBuffer> {
  const body = traceBody(name);
  const decoded = decodeTraceRequestProtobuf(body);
  expect(decoded.request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe(name);
  return new WeakRef(body.buffer as ArrayBuffer);
}

describe('protobuf decoder', () => {
  it('keeps no reference to the body', async () => {
    // A span name never seen before misses the decoder's string cache, which then stores its bytes.
    const body = decodeFreshBody(`chat ${randomUUID()}`);
    // A WeakRef keeps its target alive until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(body.deref()?.byteLength).toBeUndefined();
  });
});
