import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createRedactor } from '@foghorn/redact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmMetrics } from '../../src/exports/llm-metrics.ts';
import { collectRedactionFamilies } from '../../src/exports/redaction-metrics.ts';
import { toRemoteWriteSeries } from '../../src/exports/remote-write-request.ts';
import { createIngestPrivacy } from '../../src/privacy/telemetry-privacy.ts';
import { call } from '../auth/auth-server.ts';
import { startCrossProjectServer, type CrossProjectServer } from '../auth/cross-project-fixture.ts';

const SERVICE = 'svc-redaction-metrics';
const SECRET = 'redaction-metrics-secret-0123456789';

/** One attribute set per span; the first three carry one value for one detector each. */
const SPAN_ATTRIBUTES: readonly Record<string, string>[] = [
  { 'app.note': 'Write to carol@example.com today' },
  { 'app.note': 'Call me on +44 20 7946 0958 after lunch' },
  { 'app.note': 'Charge card 4111 1111 1111 1111 please' },
  { 'http.request.header.authorization': 'Basic dXNlcjpwYXNz', 'user.id': 'customer-42' },
];

/** Sends one chat span per attribute set through the OTel JS SDK with an ingest key. */
async function sendSpans(otlpUrl: string, key: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE }),
    spanProcessors: [
      new SimpleSpanProcessor(
        new OTLPTraceExporter({
          url: `${otlpUrl}/v1/traces`,
          headers: { authorization: `Bearer ${key}` },
        }),
      ),
    ],
  });
  const tracer = provider.getTracer('redaction-metrics-test');
  for (const attributes of SPAN_ATTRIBUTES) {
    const span = tracer.startSpan('chat gpt-4o', {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.operation.name': 'chat', ...attributes },
    });
    span.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
}

/** Returns the value of one sample of the exposition text, or undefined when it is absent. */
function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([label, value]) => `${label}="${value}"`);
  const prefix = `${name}{${pairs.join(',')}} `;
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

async function scrape(server: CrossProjectServer, token: string): Promise<string> {
  const response = await fetch(`${server.handle.url}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

describe('redaction counters on /metrics', () => {
  let server: CrossProjectServer;
  const alpha = { project: 'default', service: SERVICE };

  beforeAll(async () => {
    server = await startCrossProjectServer();
    await sendSpans(server.handle.otlpUrl, server.alphaKey);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('counts values per detector', async () => {
    const text = await scrape(server, server.alphaToken);
    const redactions = (detector: string): number | undefined =>
      sampleValue(text, 'foghorn_redactions_total', { ...alpha, detector });
    expect(redactions('email')).toBe(1);
    expect(redactions('phone')).toBe(1);
    expect(redactions('payment_card')).toBe(1);
    const detectorLines = text
      .split('\n')
      .filter((line) => line.startsWith('foghorn_redactions_total{') && line.includes(SERVICE));
    expect(detectorLines).toHaveLength(3);
  });

  it('counts spans, denied keys and pseudonyms', async () => {
    const text = await scrape(server, server.alphaToken);
    expect(sampleValue(text, 'foghorn_redaction_scanned_spans_total', alpha)).toBe(4);
    expect(sampleValue(text, 'foghorn_redaction_denied_attributes_total', alpha)).toBe(1);
    expect(sampleValue(text, 'foghorn_redaction_pseudonymized_values_total', alpha)).toBe(1);
    expect(sampleValue(text, 'foghorn_redaction_scanned_log_records_total', alpha)).toBe(0);
    for (const action of ['dropped', 'hashed', 'truncated'])
      expect(sampleValue(text, 'foghorn_redaction_content_total', { ...alpha, action })).toBe(0);
    expect(text).toContain('# TYPE foghorn_redactions_total counter');
  });

  it('matches the stats endpoint', async () => {
    const stats = await call(server.handle.url, 'GET', '/api/v1/privacy/stats', server.alphaToken);
    const entry = (stats.body.services as { service: string; byDetector: object }[]).find(
      (candidate) => candidate.service === SERVICE,
    );
    expect(entry?.byDetector).toEqual({ email: 1, phone: 1, payment_card: 1 });
  });

  it('hides them from another project', async () => {
    const text = await scrape(server, server.betaToken);
    expect(text).not.toContain(SERVICE);
    const redactionLines = text.split('\n').filter((line) => line.startsWith('foghorn_redaction'));
    expect(redactionLines.filter((line) => line.includes('project="default"'))).toEqual([]);
    const betaSpans = sampleValue(text, 'foghorn_redaction_scanned_spans_total', {
      project: 'beta',
      service: 'svc-beta',
    });
    expect(betaSpans).toBeGreaterThan(0);
  });

  it('keeps other projects off the default scrape', async () => {
    const text = await scrape(server, server.alphaToken);
    const redactionLines = text.split('\n').filter((line) => line.startsWith('foghorn_redaction'));
    expect(redactionLines.filter((line) => line.includes('project="beta"'))).toEqual([]);
  });
});

describe('redaction counters in remote write', () => {
  it('collect has every project', () => {
    const privacy = createIngestPrivacy(createRedactor({ pseudonymSecret: SECRET }), null, () =>
      createRedactor({ pseudonymSecret: SECRET }),
    );
    const span = (service: string, note: string) =>
      ({
        serviceName: service,
        environment: null,
        name: 'chat',
        statusMessage: null,
        sessionId: null,
        tenant: null,
        feature: null,
        userId: null,
        attributes: { 'app.note': note },
        resourceAttributes: {},
        events: [],
      }) as never;
    privacy.redactSpans([span('svc-a', 'mail dora@example.com')], 'default');
    privacy.redactSpans([span('svc-b', 'mail erin@example.com, frank@example.com')], 'beta');
    const metrics = new LlmMetrics();
    metrics.registerProjectSource((projectId) => collectRedactionFamilies(privacy, projectId));

    const emails = toRemoteWriteSeries(metrics.collect())
      .filter((series) => series.labels.some(([, value]) => value === 'email'))
      .map((series) => [new Map(series.labels).get('project'), series.value]);
    expect(emails.sort()).toEqual([
      ['beta', 2],
      ['default', 1],
    ]);
    expect(metrics.render('beta')).not.toContain('project="default"');
  });
});
