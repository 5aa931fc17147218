import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { createPseudonymizer } from '@foghorn/redact';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SECRET = 'logs-metrics-pseudonym-secret-0123456789';
const USER_ID = 'log-user-5150';
const PII = {
  eventEmail: 'event.body.writer@example.com',
  droppedEventPhone: '+1 415 555 2671',
  plainCard: '4111 1111 1111 1111',
  plainAddress: '203.0.113.9',
  header: 'Bearer header-token-abcdef0123456789',
  metricEmail: 'metric.label@example.com',
  userId: USER_ID,
} as const;

/** The support-bot service drops content; the chat service keeps it after redaction. */
const POLICY_YAML = `
content:
  default: { mode: keep }
  rules:
    - { service: support-bot, mode: drop }
`;

function findLeaks(text: string | Buffer): string[] {
  return Object.entries(PII)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

async function emitLogs(otlpUrl: string, service: string, traceId: string): Promise<void> {
  const exporter = new OTLPLogExporter({ url: `${otlpUrl}/v1/logs` });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const spanContext = { traceId, spanId: '00f067aa0ba902b7', traceFlags: 1 };
  const parent = trace.setSpanContext(context.active(), spanContext);
  const logger = provider.getLogger('privacy-test');
  logger.emit({
    eventName: 'gen_ai.user.message',
    context: parent,
    body: { content: `Please mail ${PII.eventEmail} or call ${PII.droppedEventPhone}` },
    attributes: { 'gen_ai.system': 'openai', 'user.id': PII.userId },
  });
  logger.emit({
    context: parent,
    severityText: 'ERROR',
    body: `payment failed for card ${PII.plainCard} from ${PII.plainAddress}`,
    attributes: { 'http.request.header.authorization': PII.header, 'order.id': 'A-1042' },
  });
  await provider.forceFlush();
  await provider.shutdown();
}

async function emitMetrics(otlpUrl: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${otlpUrl}/v1/metrics` }),
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'chat' }),
    readers: [reader],
  });
  const counter = provider.getMeter('privacy-test').createCounter('gen_ai.client.token.usage');
  counter.add(42, {
    'gen_ai.request.model': 'gpt-4o',
    'user.id': PII.userId,
    'customer.email': PII.metricEmail,
  });
  await provider.forceFlush();
  await provider.shutdown();
}

describe('log and metric redaction through OTLP', () => {
  let server: TestServer;
  let dataDir: string;
  const traceIds = {
    chat: '4bf92f3577b34da6a3ce929d0e0e4736',
    support: '5cf92f3577b34da6a3ce929d0e0e4737',
  };
  const traces: Record<string, any> = {};
  let points: any[] = [];
  let stats: any;

  beforeAll(async () => {
    process.env.FOGHORN_PSEUDONYM_SECRET = SECRET;
    dataDir = mkdtempSync(join(tmpdir(), 'foghorn-privacy-signals-'));
    writeFileSync(join(dataDir, 'privacy.yaml'), POLICY_YAML);
    server = await startTestServer({ dataDir });
    await emitLogs(server.otlpUrl, 'chat', traceIds.chat);
    await emitLogs(server.otlpUrl, 'support-bot', traceIds.support);
    await emitMetrics(server.otlpUrl);
    for (const [name, traceId] of Object.entries(traceIds)) {
      traces[name] = (await server.getJson(`/api/v1/traces/${traceId}`)).body;
    }
    const now = Date.now();
    points = await server.store.metricPoints(
      { projectId: 'default', fromUnixMs: now - 3_600_000, toUnixMs: now + 60_000 },
      ['gen_ai.client.token.usage'],
      {},
    );
    stats = (await server.getJson('/api/v1/privacy/stats')).body;
    await server.close();
  });
  afterAll(() => {
    delete process.env.FOGHORN_PSEUDONYM_SECRET;
    rmSync(dataDir, { recursive: true, force: true });
  });

  function logsOf(name: string): any[] {
    return traces[name].spans.length > 0
      ? traces[name].spans.flatMap((span: any) => span.logs)
      : (traces[name].logs ?? []);
  }

  it('returns both log records of each trace', () => {
    expect(JSON.stringify(traces.chat)).toContain('gen_ai.user.message');
    expect(findLeaks(JSON.stringify(traces))).toEqual([]);
  });

  it('redacts the body of a kept GenAI event', () => {
    const text = JSON.stringify(traces.chat);
    expect(text).toContain('Please mail [REDACTED:email] or call [REDACTED:phone]');
  });

  it('drops the event body under the drop mode', () => {
    expect(JSON.stringify(traces.support)).not.toContain('Please mail');
    const event = logsOf('support').find((record) => record.eventName === 'gen_ai.user.message');
    expect(event.body).toBeNull();
    expect(event.attributes['gen_ai.system']).toBe('openai');
  });

  it('redacts plain log bodies and drops denied attributes', () => {
    const text = JSON.stringify(traces.chat);
    expect(text).toContain('payment failed for card [REDACTED:payment_card] from [REDACTED:ipv4]');
    expect(text).not.toContain('http.request.header.authorization');
    expect(text).toContain('"order.id":"A-1042"');
  });

  it('pseudonymizes user ids on log records and metric points', () => {
    const expected = createPseudonymizer(SECRET).pseudonymize(USER_ID);
    expect(JSON.stringify(traces.chat)).toContain(`"user.id":"${expected}"`);
    // The reader exports the cumulative counter on flush and again on shutdown.
    expect(points.length).toBeGreaterThanOrEqual(1);
    for (const point of points) expect(point.attributes['user.id']).toBe(expected);
  });

  it('redacts metric point attributes and keeps the model', () => {
    expect(points[0].attributes['customer.email']).toBe('[REDACTED:email]');
    expect(points[0].model).toBe('gpt-4o');
    expect(points[0].deltaValue).toBe(42);
  });

  it('counts log records and metric points', () => {
    expect(stats.totals.logRecords).toBe(4);
    expect(stats.totals.metricPoints).toBe(points.length);
    expect(stats.totals.droppedContent).toBe(1);
  });

  it('writes no PII to the DuckDB file or WAL', () => {
    const files = readdirSync(dataDir).filter((name) => name.includes('.duckdb'));
    expect(files).toContain('foghorn.duckdb');
    for (const name of files)
      expect(findLeaks(readFileSync(join(dataDir, name))), name).toEqual([]);
  });
});
