import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interceptDuckDbRun } from '../helpers/fault-injection.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Children stored before their root wait for it, and when the root arrives one UPDATE gives
// them its tenant. That UPDATE runs after the spans' COMMIT. When it failed, the traces were
// already taken off the waiting list, and the retry of the write found its spans stored and
// skipped the UPDATE, so the children kept a null tenant for good.

const ROOT_SPAN_ID = 'f000000000000001';
const TRACE_IDS = ['c0de0000000000000000000000000001', 'c0de0000000000000000000000000002'];

interface SpanInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  tenant?: string;
}

function traceRequest(spans: readonly SpanInput[]): string {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
              name: 'chat gpt-4o',
              startTimeUnixNano: `${nowNs}`,
              endTimeUnixNano: `${nowNs + 1_000_000n}`,
              attributes: [
                { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                { key: 'gen_ai.usage.input_tokens', value: { intValue: '10' } },
                ...(span.tenant === undefined
                  ? []
                  : [{ key: 'tenant.id', value: { stringValue: span.tenant } }]),
              ],
            })),
          },
        ],
      },
    ],
  });
}

/** Makes the next UPDATE of the spans table on the write connection fail once. */
function failNextSpansUpdate(server: TestServer): void {
  let failed = false;
  interceptDuckDbRun(server.store, 'writer', async (sql, run) => {
    if (!failed && sql.trimStart().startsWith('UPDATE spans')) {
      failed = true;
      throw new Error('injected failure of the UPDATE that fills waiting children');
    }
    return run();
  });
}

describe('failed fill of waiting children', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  async function post(spans: readonly SpanInput[]): Promise<number> {
    const response = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: traceRequest(spans),
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('is retried at the next commit', async () => {
    const children = TRACE_IDS.map((traceId, index) => ({
      traceId,
      spanId: `000000000000000${index + 1}`,
      parentSpanId: ROOT_SPAN_ID,
    }));
    expect(await post(children)).toBe(200);
    // Each read commits the acknowledged spans, so every post below ends in a commit of its own.
    expect(await server.store.countSpans()).toBe(2);

    failNextSpansUpdate(server);
    const roots = TRACE_IDS.map((traceId) => ({ traceId, spanId: ROOT_SPAN_ID, tenant: 'acme' }));
    await post(roots);
    expect(await server.store.countSpans()).toBe(4);
    // Any later commit gives the failed fill another chance.
    expect(
      await post([{ traceId: 'c0de00000000000000000000000000ff', spanId: '00000000000000ff' }]),
    ).toBe(200);

    for (const traceId of TRACE_IDS) {
      const spans = await server.store.getTrace('default', traceId);
      expect(spans.map((span) => [span.spanId, span.tenant])).toEqual(
        expect.arrayContaining([
          [ROOT_SPAN_ID, 'acme'],
          [children[TRACE_IDS.indexOf(traceId)]!.spanId, 'acme'],
        ]),
      );
    }
    const groups = await server.store.summary(
      {
        projectId: 'default',
        fromUnixMs: Date.now() - 3_600_000,
        toUnixMs: Date.now() + 3_600_000,
        filters: {},
      },
      'tenant',
    );
    const requestsByTenant = Object.fromEntries(groups.map((group) => [group.key, group.requests]));
    // Each root is a chat span around a chat span sent earlier, so only the children count.
    expect(requestsByTenant).toEqual({ acme: 2, null: 1 });
  });
});
