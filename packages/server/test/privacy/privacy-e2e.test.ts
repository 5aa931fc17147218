import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createPseudonymizer } from '@foghorn/redact';
import { pino } from 'pino';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SECRET = 'e2e-pseudonym-secret-0123456789abcdef';
const USER_ID = 'customer-4711@example.org';

/** One sensitive value per content position; each must disappear everywhere. */
const PII = {
  inputMessages: 'input.messages.person@example.com',
  outputMessages: '+44 20 7946 0958',
  systemInstructions: 'sk-proj-SysInstrAbcdefghijklmnop0123456789',
  flatPrompt: '4111 1111 1111 1111',
  flatCompletion: 'GB82WEST12345698765432',
  inputValue: 'openinference.in@example.net',
  outputValue: '123-45-6789',
  llmInputMessage: '203.0.113.77',
  aiPrompt: 'AKIAIOSFODNN7EXAMPLE',
  aiPromptMessages: 'vercel.messages@example.io',
  aiResponseText: '(415) 555-2671',
  toolArguments: 'tool.args.owner@example.com',
  toolResult: '5555-5555-5555-4444',
  eventPrompt: 'event.prompt.sender@example.com',
  statusMessage: 'status.error.user@example.com',
  resourceIp: '2001:db8:85a3::8a2e:370:7334',
  customPattern: 'EMP-204881',
  authorizationHeader: 'Bearer hdr-token-0123456789abcdef',
  userId: USER_ID,
} as const;

const POLICY_YAML = `
customPatterns:
  - name: employee_id
    pattern: 'EMP-\\d{6}'
content:
  default:
    mode: keep
`;

function messagesJson(role: string, text: string): string {
  return JSON.stringify([
    { role, parts: [{ type: 'text', content: `Hello, note this: ${text}. Thanks` }] },
  ]);
}

async function emitSpans(otlpUrl: string, startMs: number): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'privacy-e2e',
      'deployment.environment.name': 'test',
      'host.ip': PII.resourceIp,
    }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` })),
    ],
  });
  const tracer = provider.getTracer('privacy-e2e');
  const root = tracer.startSpan('invoke_agent support', {
    kind: SpanKind.INTERNAL,
    startTime: startMs,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'user.id': PII.userId },
  });
  const parent = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: startMs + 10,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 20,
        'gen_ai.input.messages': messagesJson('user', PII.inputMessages),
        'gen_ai.output.messages': messagesJson('assistant', PII.outputMessages),
        'gen_ai.system_instructions': JSON.stringify([
          { type: 'text', content: `Use key ${PII.systemInstructions}` },
        ]),
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.content': `my card is ${PII.flatPrompt}`,
        'gen_ai.completion.0.content': `your IBAN ${PII.flatCompletion} is noted`,
        'input.value': JSON.stringify({
          messages: [{ role: 'user', content: `from ${PII.inputValue}` }],
        }),
        'output.value': `SSN ${PII.outputValue} verified`,
        'llm.input_messages.0.message.content': `client at ${PII.llmInputMessage}`,
        'ai.prompt': JSON.stringify({ prompt: `aws ${PII.aiPrompt}` }),
        'ai.prompt.messages': JSON.stringify([
          { role: 'user', content: [{ type: 'text', text: PII.aiPromptMessages }] },
        ]),
        'ai.response.text': `Call us at ${PII.aiResponseText}`,
        'app.note': `badge ${PII.customPattern}`,
        'http.request.header.authorization': [PII.authorizationHeader],
      },
    },
    parent,
  );
  chat.addEvent(
    'gen_ai.content.prompt',
    { 'gen_ai.prompt': `event text from ${PII.eventPrompt}` },
    startMs + 12,
  );
  chat.setStatus({ code: SpanStatusCode.ERROR, message: `upstream rejected ${PII.statusMessage}` });
  chat.end(startMs + 400);
  const tool = tracer.startSpan(
    'execute_tool lookup_customer',
    {
      kind: SpanKind.INTERNAL,
      startTime: startMs + 410,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup_customer',
        'gen_ai.tool.call.arguments': JSON.stringify({ email: PII.toolArguments }),
        'gen_ai.tool.call.result': JSON.stringify({ card: PII.toolResult, status: 'active' }),
      },
    },
    parent,
  );
  tool.end(startMs + 450);
  root.end(startMs + 500);
  await provider.forceFlush();
  await provider.shutdown();
}

function findLeaks(haystack: string | Buffer): string[] {
  return Object.entries(PII)
    .filter(([, value]) => haystack.includes(value))
    .map(([position, value]) => `${position}: ${value}`);
}

describe('privacy end to end', () => {
  let server: TestServer;
  let dataDir: string;
  let logText = '';
  let traceJson = '';
  let statsBody: any;
  const startMs = Date.now() - 60_000;

  beforeAll(async () => {
    process.env.FOGHORN_PSEUDONYM_SECRET = SECRET;
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-privacy-'));
    writeFileSync(join(dataDir, 'privacy.yaml'), POLICY_YAML);
    const logSink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString('utf8');
        done();
      },
    });
    server = await startTestServer({ dataDir, logger: pino({ level: 'debug' }, logSink) });
    await emitSpans(server.otlpUrl, startMs);

    const window = `from=${startMs - 60_000}&to=${startMs + 60_000}`;
    const list = await server.getJson(`/api/v1/traces?${window}`);
    const traceId = list.body.traces[0].traceId as string;
    const detail = await fetch(`${server.url}/api/v1/traces/${traceId}`);
    traceJson = await detail.text();
    statsBody = (await server.getJson('/api/v1/privacy/stats')).body;
    await server.close();
  });
  afterAll(() => {
    delete process.env.FOGHORN_PSEUDONYM_SECRET;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores all spans of the trace', () => {
    expect(JSON.parse(traceJson).spans).toHaveLength(3);
  });

  it('returns no PII from the trace API', () => {
    expect(findLeaks(traceJson)).toEqual([]);
  });

  it('returns markers in place of PII', () => {
    for (const name of [
      'email',
      'phone',
      'openai_key',
      'payment_card',
      'iban',
      'us_ssn',
      'ipv4',
      'ipv6',
      'aws_access_key_id',
      'employee_id',
    ]) {
      expect(traceJson, name).toContain(`[REDACTED:${name}]`);
    }
  });

  it('drops the authorization header', () => {
    expect(traceJson).not.toContain('http.request.header.authorization');
  });

  it('pseudonymizes the user id', () => {
    const expected = createPseudonymizer(SECRET).pseudonymize(USER_ID);
    const spans = JSON.parse(traceJson).spans as {
      userId: string | null;
      attributes: Record<string, unknown>;
    }[];
    for (const span of spans) expect(span.userId).toBe(expected);
    const root = spans.find((span) => span.attributes['user.id'] !== undefined)!;
    expect(root.attributes['user.id']).toBe(expected);
  });

  it('counts redactions per detector and service', () => {
    expect(statsBody.totals.byDetector.email).toBeGreaterThanOrEqual(6);
    expect(statsBody.totals.deniedAttributes).toBe(1);
    const service = statsBody.services.find((entry: any) => entry.service === 'privacy-e2e');
    expect(service.spans).toBe(3);
    expect(service.byDetector.employee_id).toBe(1);
  });

  it('writes no PII to the log', () => {
    expect(logText).toContain('privacy: policy loaded from');
    expect(findLeaks(logText)).toEqual([]);
  });

  it('writes no PII to the DuckDB file or WAL', () => {
    const files = readdirSync(dataDir).filter((name) => name.includes('.duckdb'));
    expect(files).toContain('foghorn.duckdb');
    const contents = files.map((name) => readFileSync(join(dataDir, name)));
    // The stored text is searchable as plain bytes: the markers themselves are found.
    expect(contents.some((bytes) => bytes.includes('[REDACTED:email]'))).toBe(true);
    files.forEach((name, index) => expect(findLeaks(contents[index]!), name).toEqual([]));
  });
});
