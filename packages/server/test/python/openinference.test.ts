import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockProvider, type MockProvider } from '@foghorn/demo';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  expectSummaryMatchesClient,
  expectTraceOfRun,
  type InstrumentedRunReport,
} from './instrumented-calls.ts';
import {
  HAS_PYTHON3,
  PYTHON3_MISSING_MESSAGE,
  VENV_TIMEOUT_MS,
  ensureOtelVenv,
  runReportScript,
} from './python-otel.ts';

if (!HAS_PYTHON3) console.warn(PYTHON3_MISSING_MESSAGE);

describe.skipIf(!HAS_PYTHON3)('OpenInference OpenAI instrumentation over gRPC', () => {
  let server: TestServer;
  let provider: MockProvider;
  let report: InstrumentedRunReport;
  let window: string;

  beforeAll(async () => {
    const python = await ensureOtelVenv('sdk');
    server = await startTestServer();
    provider = await startMockProvider();
    const fromMs = Date.now() - 60_000;
    report = await runReportScript<InstrumentedRunReport>(
      python,
      'openinference_openai.py',
      ['--provider-url', provider.url],
      { OTEL_EXPORTER_OTLP_ENDPOINT: `http://${server.grpcAddress}` },
    );
    window = `from=${fromMs}&to=${Date.now() + 60_000}`;
  }, VENV_TIMEOUT_MS);
  afterAll(async () => {
    await provider?.close();
    await server?.stop();
  });

  it('mock reported cached input for gpt-4o', () => {
    expect(report.calls['gpt-4o'].cached_tokens).toBe(1024);
    expect(report.calls['gpt-4o-mini'].cached_tokens).toBe(0);
  });

  it('summary counts each LLM span once', async () => {
    await expectSummaryMatchesClient(server, window, report);
  });

  it('trace has the chain around two calls', async () => {
    const spans = await expectTraceOfRun(server, report, {
      wrapper: 'answer_question',
      call: 'ChatCompletion',
    });
    expect(spans.map((span) => span.dialect)).toEqual([
      'openinference',
      'openinference',
      'openinference',
    ]);
    expect(spans[1].serviceName).toBe('openinference-test');
  });
});
