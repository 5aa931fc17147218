/**
 * Measures how fast the server turns OTLP metrics into stored points. The OTel JS
 * metrics SDK records token counts, request durations (an explicit histogram),
 * times to first token (an exponential histogram) and active requests for many
 * models, tenants and features. Its own protobuf serializer encodes one cumulative
 * collection per request. The values grow between collections, so every point
 * goes through the conversion to increases. The baseline is the protobuf decoding
 * of the same requests.
 *
 * Run: npx tsx bench/ingest/metrics-bench.ts [--collections=40] [--rounds=5]
 */
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import os from 'node:os';
import { decodeMetricsRequestProtobuf } from '../../packages/server/src/ingest/otlp/index.ts';
import { toMetricPoints } from '../../packages/server/src/ingest/metrics-pipeline.ts';
import { CumulativeToDelta } from '../../packages/server/src/metrics/cumulative-to-delta.ts';
import { readIntArg } from './arguments.ts';

const COLLECTIONS = readIntArg('collections', 40, 1_000);
const ROUNDS = readIntArg('rounds', 5, 100);
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5'];
const TENANTS = Array.from({ length: 20 }, (_, i) => `tenant-${i}`);
const FEATURES = ['chat', 'search', 'summarize', 'classify', 'extract'];

/** A reader that collects when asked, so every collection becomes one request. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }

  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }

  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Records the traffic of every collection period and returns each collection encoded as one request. */
async function buildRequests(): Promise<Uint8Array[]> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'metrics-bench' }),
    readers: [reader],
    views: [
      {
        instrumentName: 'gen_ai.server.time_to_first_token',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter('metrics-bench');
  const tokens = meter.createCounter('gen_ai.tokens.consumed', { unit: '{token}' });
  const duration = meter.createHistogram('gen_ai.request.duration', { unit: 's' });
  const firstToken = meter.createHistogram('gen_ai.server.time_to_first_token', { unit: 's' });
  const active = meter.createUpDownCounter('gen_ai.requests.active');
  const requests: Uint8Array[] = [];
  for (let collection = 0; collection < COLLECTIONS; collection++) {
    for (const [m, model] of MODELS.entries()) {
      for (const [t, tenant] of TENANTS.entries()) {
        for (const [f, feature] of FEATURES.entries()) {
          const attributes = {
            'gen_ai.request.model': model,
            'tenant.id': tenant,
            'feature.name': feature,
          };
          const seed = collection + m + t + f;
          tokens.add(100 + (seed % 37), { ...attributes, 'gen_ai.token.type': 'input' });
          tokens.add(20 + (seed % 11), { ...attributes, 'gen_ai.token.type': 'output' });
          duration.record(0.2 + (seed % 29) / 10, attributes);
          firstToken.record(0.05 + (seed % 13) / 20, attributes);
        }
      }
      active.add(collection % 2 === 0 ? 1 : -1, { 'gen_ai.request.model': model });
    }
    const { resourceMetrics } = await reader.collect();
    const body = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
    if (body === undefined) {
      throw new Error(
        `the OTel protobuf serializer returned no body for collection ${collection}; check the @opentelemetry/otlp-transformer version`,
      );
    }
    requests.push(body);
  }
  await provider.shutdown();
  return requests;
}

function microsPerPoint(milliseconds: number, points: number): string {
  return ((milliseconds * 1000) / points).toFixed(2);
}

async function main(): Promise<void> {
  const requests = await buildRequests();
  const decoded = requests.map((body) => decodeMetricsRequestProtobuf(body).request);
  const startedAt = 1n;
  const pointsPerRound = decoded.reduce(
    (total, request) => total + toMetricPoints(request, new CumulativeToDelta(startedAt)).length,
    0,
  );
  const bytes = requests.reduce((total, body) => total + body.length, 0);
  console.log(
    `# ${COLLECTIONS} requests, ${pointsPerRound} points, ${Math.round(bytes / pointsPerRound)} B of protobuf per point; ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, Node ${process.version}`,
  );
  console.log('| round | decode µs/point (baseline) | conversion µs/point | conversion / decode |');
  console.log('|---:|---:|---:|---:|');
  for (let round = 1; round <= ROUNDS; round++) {
    const decodeStart = performance.now();
    for (const body of requests) decodeMetricsRequestProtobuf(body);
    const decodeMs = performance.now() - decodeStart;
    const converter = new CumulativeToDelta(startedAt);
    const convertStart = performance.now();
    for (const request of decoded) toMetricPoints(request, converter);
    const convertMs = performance.now() - convertStart;
    console.log(
      `| ${round} | ${microsPerPoint(decodeMs, pointsPerRound)} | ${microsPerPoint(convertMs, pointsPerRound)} | ${(convertMs / decodeMs).toFixed(2)} |`,
    );
  }
}

await main();
