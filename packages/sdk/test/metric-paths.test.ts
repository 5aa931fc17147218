import { type Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  AggregationType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { hrTime } from '@opentelemetry/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MOCK_HEADERS, startMockProvider, type MockProvider } from '@foghorn/demo';
import { instrumentOpenAI, withAttribution } from '../src/index.ts';
import { AggregatedHistogram } from '../src/telemetry/aggregated-histogram.ts';
import { GENAI_HISTOGRAMS, GENAI_METRICS } from '../src/telemetry/metric-definitions.ts';
import { startHarness, type ReaderKind } from './helpers/sdk-harness.ts';

const DURATION_BOUNDARIES = GENAI_METRICS.operationDuration.boundaries;
const METRIC_NAMES = Object.values(GENAI_METRICS).map((definition) => definition.name);
const MESSAGES = [{ role: 'user' as const, content: 'Where is my order 1234?' }];

/** Records `values` through a real MeterProvider with the SDK's view and returns the point's value. */
async function sdkHistogramValue(values: number[]): Promise<Histogram> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({
    readers: [reader],
    views: [
      {
        instrumentName: 'h',
        aggregation: {
          type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
          options: { boundaries: [...DURATION_BOUNDARIES] },
        },
      },
    ],
  });
  const histogram = meterProvider.getMeter('m').createHistogram('h');
  for (const value of values) histogram.record(value, { a: 'b' });
  await meterProvider.forceFlush();
  await meterProvider.shutdown();
  const metric = exporter.getMetrics()[0]!.scopeMetrics[0]!.metrics[0]!;
  return metric.dataPoints[0]!.value as Histogram;
}

describe('aggregated histogram', () => {
  const values = [0, -1, 0.01, 0.010000001, 5, 8, 15, 299.9, 300, 301, 1e9, Number.NaN, 2.5, 2.5];

  it('matches sdk-metrics buckets, sum and extremes', async () => {
    const aggregated = new AggregatedHistogram(DURATION_BOUNDARIES, 10, () => {});
    const cell = aggregated.cell('key', { a: 'b' });
    for (const value of values) cell.record(value);
    const [point] = aggregated.dataPoints(hrTime());
    expect(point!.value).toEqual(await sdkHistogramValue(values));
  });

  it('keeps its start time and accumulates across collections', () => {
    const aggregated = new AggregatedHistogram(DURATION_BOUNDARIES, 10, () => {});
    const cell = aggregated.cell('key', { a: 'b' });
    cell.record(1);
    const [first] = aggregated.dataPoints(hrTime());
    cell.record(2);
    const [second] = aggregated.dataPoints(hrTime());
    expect(second!.startTime).toEqual(first!.startTime);
    expect(first!.value.count).toBe(1);
    expect(second!.value.count).toBe(2);
    expect(second!.value.sum).toBe(3);
  });

  it('warns once and drops series beyond its limit', () => {
    let overflows = 0;
    const aggregated = new AggregatedHistogram(DURATION_BOUNDARIES, 2, () => overflows++);
    for (const key of ['a', 'b', 'c', 'd']) aggregated.cell(key, { key }).record(1);
    expect(aggregated.dataPoints(hrTime()).map((point) => point.attributes.key)).toEqual([
      'a',
      'b',
    ]);
    expect(overflows).toBe(1);
  });
});

interface NormalizedMetric {
  descriptor: unknown;
  temporality: AggregationTemporality;
  dataPointType: unknown;
  isMonotonic: unknown;
  points: { attributes: Attributes; value: unknown }[];
}

/** Drops times, and for duration histograms the values that depend on how long calls took. */
function normalize(metric: MetricData): NormalizedMetric {
  const isDuration = metric.descriptor.unit === 's';
  const points = (metric.dataPoints as DataPoint<unknown>[]).map((point) => {
    if (!isDuration) return { attributes: point.attributes, value: point.value };
    const histogram = point.value as Histogram;
    const bucketTotal = histogram.buckets.counts.reduce((total, count) => total + count, 0);
    const value = { count: histogram.count, bucketTotal, boundaries: histogram.buckets.boundaries };
    return { attributes: point.attributes, value };
  });
  points.sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
  return {
    descriptor: metric.descriptor,
    temporality: metric.aggregationTemporality,
    dataPointType: metric.dataPointType,
    isMonotonic: 'isMonotonic' in metric ? metric.isMonotonic : undefined,
    points,
  };
}

describe('metric producer and OTel instruments', () => {
  let provider: MockProvider;
  const results = new Map<ReaderKind, Map<string, NormalizedMetric | undefined>>();

  async function runCalls(client: OpenAI): Promise<void> {
    const headers = { [MOCK_HEADERS.simulatedTime]: '1', [MOCK_HEADERS.requestKey]: 'paths' };
    await withAttribution({ tenant: 'acme', feature: 'support' }, async () => {
      await client.chat.completions.create(
        { model: 'gpt-4o-mini', messages: MESSAGES },
        { headers },
      );
      const stream = await client.chat.completions.create(
        {
          model: 'gpt-4o-mini',
          messages: MESSAGES,
          stream: true,
          stream_options: { include_usage: true },
        },
        { headers },
      );
      for await (const _chunk of stream);
      const failing = { ...headers, [MOCK_HEADERS.outcome]: 'rate_limit' };
      await client.chat.completions
        .create({ model: 'gpt-4o', messages: MESSAGES }, { headers: failing })
        .catch(() => null);
    });
  }

  beforeAll(async () => {
    provider = await startMockProvider({ seed: 11 });
    const client = instrumentOpenAI(
      new OpenAI({ apiKey: 'sk-test', baseURL: provider.url, maxRetries: 0, timeout: 2000 }),
    );
    for (const kind of ['factory', 'built'] as const) {
      const harness = await startHarness({}, kind);
      try {
        await runCalls(client);
        await harness.flush();
        const metrics = new Map<string, NormalizedMetric | undefined>();
        for (const name of METRIC_NAMES) {
          const metric = harness.metric(name);
          metrics.set(name, metric === undefined ? undefined : normalize(metric));
        }
        results.set(kind, metrics);
      } finally {
        await harness.stop();
      }
    }
  });

  afterAll(async () => {
    await provider?.close();
  });

  it.each(METRIC_NAMES)('reports %s the same way', (name) => {
    const fromProducer = results.get('factory')!.get(name);
    expect(fromProducer).toBeDefined();
    expect(fromProducer!.points.length).toBeGreaterThan(0);
    expect(fromProducer).toEqual(results.get('built')!.get(name));
  });

  it('gives every GenAI histogram its boundaries', () => {
    for (const histogram of GENAI_HISTOGRAMS) {
      const metric = results.get('factory')!.get(histogram.name)!;
      const point = metric.points[0]!.value as {
        boundaries?: number[];
        buckets?: { boundaries: number[] };
      };
      expect(point.boundaries ?? point.buckets!.boundaries).toEqual([...histogram.boundaries]);
    }
  });
});
