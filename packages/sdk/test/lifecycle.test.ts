import { createServer } from 'node:net';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MOCK_HEADERS, startMockProvider, type MockProvider } from '@foghorn/demo';
import {
  FoghornConfigError,
  init,
  instrumentOpenAI,
  score,
  shutdown,
  spanContextOf,
} from '../src/index.ts';
import { capturingLogger, startHarness } from './helpers/sdk-harness.ts';

let provider: MockProvider;
let client: OpenAI;

const PARAMS = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Hello there' }],
};

beforeAll(async () => {
  provider = await startMockProvider({ seed: 3 });
  const options = {
    apiKey: 'sk-test',
    baseURL: provider.url,
    maxRetries: 0,
    defaultHeaders: { [MOCK_HEADERS.simulatedTime]: '1' },
  };
  client = instrumentOpenAI(new OpenAI(options));
});

afterAll(async () => {
  await shutdown();
  await provider?.close();
});

/** Returns a 127.0.0.1 port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('global registration', () => {
  it('keeps a host provider unless told to replace it', async () => {
    const hostSpans = new InMemorySpanExporter();
    const hostProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(hostSpans)],
    });
    expect(trace.setGlobalTracerProvider(hostProvider)).toBe(true);
    const harness = await startHarness();
    trace.getTracer('host').startSpan('host work').end();
    expect(hostSpans.getFinishedSpans().map((span) => span.name)).toEqual(['host work']);
    expect(harness.logLines.some((line) => line.includes('replaceGlobalProviders: true'))).toBe(
      true,
    );

    const completion = await client.chat.completions.create(PARAMS);
    await harness.flush();
    const spans = await harness.traceSpans(spanContextOf(completion)!.traceId);
    expect(spans.map((span: any) => span.name)).toEqual(['chat gpt-4o-mini']);
    expect(hostSpans.getFinishedSpans()).toHaveLength(1);
    await harness.stop();
    trace.disable();
  });

  it('replaces the host provider when told to', async () => {
    const hostSpans = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(hostSpans)] }),
    );
    const harness = await startHarness({ replaceGlobalProviders: true });
    const span = trace.getTracer('host').startSpan('host work');
    span.end();
    await harness.flush();
    expect(hostSpans.getFinishedSpans()).toHaveLength(0);
    expect((await harness.traceSpans(span.spanContext().traceId))[0].name).toBe('host work');
    await harness.stop();
  });
});

describe('lifecycle', () => {
  it('shuts down once and lets init start again', async () => {
    const lines: string[] = [];
    const sdk = init({ exporter: 'none', logger: capturingLogger(lines) });
    expect(init({ exporter: 'console' })).toBe(sdk);
    const first = sdk.shutdown();
    expect(sdk.shutdown()).toBe(first);
    await first;
    expect(lines.filter((line) => line === 'info [foghorn] stopped')).toHaveLength(1);
    const second = init({ exporter: 'none' });
    expect(second).not.toBe(sdk);
    await second.shutdown();
  });

  it('logs one line when dropping starts and one with the count', async () => {
    const lines: string[] = [];
    const sdk = init({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      exportTimeoutMs: 1000,
      metricExportIntervalMs: 3_600_000,
      logger: capturingLogger(lines),
    });
    for (let round = 0; round < 3; round++) {
      await client.chat.completions.create(PARAMS);
      await client.chat.completions.create(PARAMS);
      await sdk.forceFlush();
    }
    const spanWarnings = () =>
      lines.filter((line) => line.startsWith('warn') && / spans/.test(line));
    expect(spanWarnings()).toHaveLength(1);
    expect(spanWarnings()[0]).toMatch(
      /^warn \[foghorn\] dropping spans: exporting spans failed \(connect ECONNREFUSED/,
    );
    await sdk.shutdown();
    expect(spanWarnings()).toHaveLength(2);
    expect(spanWarnings()[1]).toBe(
      'warn [foghorn] dropped 6 spans in total since dropping started',
    );
  });

  it('prints spans in console mode', async () => {
    const dir = vi.spyOn(console, 'dir').mockImplementation(() => {});
    const sdk = init({ exporter: 'console' });
    await client.chat.completions.create(PARAMS);
    await sdk.shutdown();
    const printed = dir.mock.calls.map(([value]) => (value as { name?: string }).name);
    dir.mockRestore();
    expect(printed).toContain('chat gpt-4o-mini');
  });
});

describe('score', () => {
  it('stores a score for a trace in Foghorn', async () => {
    const harness = await startHarness();
    const completion = await client.chat.completions.create(PARAMS);
    const traceId = spanContextOf(completion)!.traceId;
    await harness.flush();
    const result = await score(traceId, 'helpfulness', 0.75, {
      source: 'user-feedback',
      comment: 'clear answer',
    });
    expect(result.ok).toBe(true);
    const query = `name=helpfulness&from=${harness.startUnixMs}&to=${Date.now() + 60_000}`;
    const { body } = await harness.server.getJson(`/api/v1/scores/summary?${query}`);
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0].count).toBe(1);
    expect(body.groups[0].mean).toBe(0.75);
    await harness.stop();
  });

  it('rejects an invalid trace id and reports an unreachable Foghorn', async () => {
    await expect(score('abc', 'helpfulness', 1)).rejects.toThrow(
      new FoghornConfigError(
        'score() traceId is "abc"; expected 32 lower-case hexadecimal characters, such as spanContextOf(result).traceId',
      ),
    );
    const result = await score('0123456789abcdef0123456789abcdef', 'helpfulness', 1, {
      apiUrl: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(result.ok).toBe(false);
    expect((result as { status: number | null }).status).toBeNull();
  });
});
