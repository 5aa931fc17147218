import type { CanonicalSpan } from '../../packages/server/src/semconv/canonical-span.ts';
import type { Store } from '../../packages/server/src/store/store.ts';

const BATCH_SPANS = 500;
const BATCHES = 40;

function benchSpan(index: number, startMs: number): CanonicalSpan {
  const traceId = (0xabc00000 + Math.floor(index / 4)).toString(16).padStart(32, 'f');
  const root = index % 4 === 0;
  const startNs = BigInt(startMs + index * 10) * 1_000_000n;
  return {
    projectId: 'default',
    traceId,
    spanId: (0x1000000 + index).toString(16).padStart(16, 'e'),
    parentSpanId: root ? null : (0x1000000 + index - (index % 4)).toString(16).padStart(16, 'e'),
    name: root ? 'invoke_agent planner' : 'chat gpt-4o',
    spanKind: root ? 'internal' : 'client',
    serviceName: 'api',
    scopeName: 'bench',
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + 800_000_000n,
    durationMs: 800,
    statusCode: 'unset',
    statusMessage: null,
    errorType: null,
    dialect: 'otel_genai',
    operation: root ? 'invoke_agent' : 'chat',
    spanType: root ? 'agent' : 'llm',
    isLlmCall: !root,
    provider: root ? null : 'openai',
    requestModel: root ? null : 'gpt-4o',
    responseModel: root ? null : 'gpt-4o',
    model: root ? null : 'gpt-4o',
    usage: {
      inputTokens: 1000,
      outputTokens: 200,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    cost: {
      totalUsd: root ? null : 0.0045,
      inputUsd: null,
      outputUsd: null,
      cacheReadUsd: null,
      cacheWriteUsd: null,
      priceModel: null,
      priceTableVersion: null,
    },
    timeToFirstTokenMs: null,
    tenant: `tenant-${index % 7}`,
    userId: null,
    sessionId: null,
    feature: 'chat',
    environment: 'production',
    registeredModel: null,
    attributes: {},
    resourceAttributes: {},
    events: [],
    ingestIssues: [],
  };
}

function medianMs(durationsMs: number[]): string {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!.toFixed(0);
}

/**
 * Writes batches through the store's real write path (append, attribution, rollup rows
 * and the trace id index) into the loaded store, and prints the commit latency. After
 * each batch a one-hour summary reads the new spans.
 */
export async function measureIngest(store: Store, endMs: number): Promise<void> {
  const commitMs: number[] = [];
  const summaryMs: number[] = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    const spans = Array.from({ length: BATCH_SPANS }, (_, offset) =>
      benchSpan(batch * BATCH_SPANS + offset, endMs - 3_600_000),
    );
    const startedMs = performance.now();
    await store.writeSpans(spans);
    commitMs.push(performance.now() - startedMs);

    const summaryStartedMs = performance.now();
    await store.summary(
      { projectId: 'default', fromUnixMs: endMs - 3_600_000, toUnixMs: endMs, filters: {} },
      'model',
    );
    summaryMs.push(performance.now() - summaryStartedMs);
  }
  const totalMs = commitMs.reduce((sum, value) => sum + value, 0);
  const spansPerSecond = (BATCHES * BATCH_SPANS) / (totalMs / 1000);
  console.log(
    `\ningest into the loaded store: ${BATCHES} batches of ${BATCH_SPANS} spans, median commit ${medianMs(commitMs)} ms (a one-hour summary after each: ${medianMs(summaryMs)} ms), ${spansPerSecond.toFixed(0)} spans/s`,
  );
}
