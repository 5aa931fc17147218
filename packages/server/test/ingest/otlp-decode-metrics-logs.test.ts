import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, TraceFlags, ValueType, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  OtlpDecodeError,
  decodeLogsRequestJson,
  decodeLogsRequestProtobuf,
  decodeMetricsRequestJson,
  decodeMetricsRequestProtobuf,
} from '../../src/ingest/otlp/index.ts';
import type { OtlpMetric, OtlpMetricsRequest } from '../../src/ingest/otlp/otlp-model.ts';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

/** A pull reader: `collect()` returns what the SDK would hand to an exporter. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function recordMetrics(): Promise<ResourceMetrics> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'metrics-test' }),
    readers: [reader],
    views: [
      {
        instrumentName: 'gen_ai.latency.exponential',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter('metrics-scope', '2.0.0');
  const tokens = meter.createCounter('gen_ai.client.token.usage', {
    unit: '{token}',
    valueType: ValueType.INT,
  });
  tokens.add(412, { 'gen_ai.token.type': 'input' });
  tokens.add(27, { 'gen_ai.token.type': 'output' });
  tokens.add(2 ** 40, { 'gen_ai.token.type': 'input' });
  meter.createUpDownCounter('queue.depth').add(-2.5);
  const latency = meter.createHistogram('gen_ai.client.operation.duration', {
    unit: 's',
    description: 'Call latency',
  });
  for (const seconds of [0.2, 0.7, 3])
    latency.record(seconds, { 'gen_ai.request.model': 'gpt-4o' });
  const exponential = meter.createHistogram('gen_ai.latency.exponential');
  for (const seconds of [1, 2, 4, 0]) exponential.record(seconds);
  meter.createGauge('cache.ratio').record(0.25, { tier: 'hot' });
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return resourceMetrics;
}

function metricNamed(request: OtlpMetricsRequest, name: string): OtlpMetric {
  const metrics = request.resourceMetrics.flatMap((resource) =>
    resource.scopeMetrics.flatMap((scope) => scope.metrics),
  );
  const metric = metrics.find((candidate) => candidate.name === name);
  if (metric === undefined) throw new Error(`no metric named ${name}`);
  return metric;
}

describe('metrics decoders on OTel JS SDK data', async () => {
  const resourceMetrics = await recordMetrics();
  const protobufBody = ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!;
  const jsonText = new TextDecoder().decode(
    JsonMetricsSerializer.serializeRequest(resourceMetrics)!,
  );
  const decoded = {
    protobuf: decodeMetricsRequestProtobuf(protobufBody),
    json: decodeMetricsRequestJson(jsonText),
  };

  it('protobuf and JSON decode to equal requests', () => {
    expect(decoded.protobuf.rejectedDataPoints).toBe(0);
    expect(decoded.json).toEqual(decoded.protobuf);
  });

  it.each(['protobuf', 'json'] as const)('%s: resource and scope', (encoding) => {
    const resource = decoded[encoding].request.resourceMetrics[0]!;
    expect(resource.resource).toEqual({ 'service.name': 'metrics-test' });
    expect(resource.scopeMetrics[0]!.scope).toEqual({
      name: 'metrics-scope',
      version: '2.0.0',
      attributes: {},
    });
  });

  it.each(['protobuf', 'json'] as const)('%s: monotonic int sum', (encoding) => {
    const metric = metricNamed(decoded[encoding].request, 'gen_ai.client.token.usage');
    expect(metric.unit).toBe('{token}');
    expect(metric.data?.type).toBe('sum');
    if (metric.data?.type !== 'sum') return;
    expect(metric.data.isMonotonic).toBe(true);
    expect(metric.data.aggregationTemporality).toBe(2);
    const values = metric.data.dataPoints.map((point) => [
      point.attributes['gen_ai.token.type'],
      point.asInt,
      point.asDouble,
    ]);
    expect(values).toEqual([
      ['input', 412n + 2n ** 40n, null],
      ['output', 27n, null],
    ]);
    const sdkMetric = resourceMetrics.scopeMetrics[0]!.metrics.find(
      (candidate) => candidate.descriptor.name === 'gen_ai.client.token.usage',
    );
    const sdkPoint = sdkMetric!.dataPoints[0]!;
    const nanos = (time: [number, number]): bigint =>
      BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);
    expect(metric.data.dataPoints[0]!.startTimeUnixNano).toBe(nanos(sdkPoint.startTime));
    expect(metric.data.dataPoints[0]!.timeUnixNano).toBe(nanos(sdkPoint.endTime));
  });

  it.each(['protobuf', 'json'] as const)('%s: non-monotonic double sum and gauge', (encoding) => {
    const depth = metricNamed(decoded[encoding].request, 'queue.depth').data;
    expect(depth?.type).toBe('sum');
    expect(depth?.type === 'sum' ? depth.isMonotonic : null).toBe(false);
    expect(depth?.dataPoints.map((point) => 'asDouble' in point && point.asDouble)).toEqual([-2.5]);
    const gauge = metricNamed(decoded[encoding].request, 'cache.ratio').data;
    expect(gauge?.type).toBe('gauge');
    if (gauge?.type !== 'gauge') return;
    expect(gauge.dataPoints.map((point) => [point.attributes, point.asDouble])).toEqual([
      [{ tier: 'hot' }, 0.25],
    ]);
  });

  it.each(['protobuf', 'json'] as const)('%s: explicit histogram', (encoding) => {
    const metric = metricNamed(decoded[encoding].request, 'gen_ai.client.operation.duration');
    expect(metric.description).toBe('Call latency');
    if (metric.data?.type !== 'histogram') throw new Error(`unexpected type ${metric.data?.type}`);
    const point = metric.data.dataPoints[0]!;
    expect(point.attributes).toEqual({ 'gen_ai.request.model': 'gpt-4o' });
    expect(point.count).toBe(3);
    expect(point.sum).toBeCloseTo(3.9, 12);
    expect(point.min).toBe(0.2);
    expect(point.max).toBe(3);
    expect(point.explicitBounds).toEqual([
      0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
    ]);
    expect(point.bucketCounts).toEqual([0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it.each(['protobuf', 'json'] as const)('%s: exponential histogram', (encoding) => {
    const metric = metricNamed(decoded[encoding].request, 'gen_ai.latency.exponential');
    if (metric.data?.type !== 'exponentialHistogram')
      throw new Error(`unexpected type ${metric.data?.type}`);
    const point = metric.data.dataPoints[0]!;
    const sdkPoint = resourceMetrics.scopeMetrics[0]!.metrics.find(
      (m) => m.descriptor.name === 'gen_ai.latency.exponential',
    )!.dataPoints[0]!.value as {
      scale: number;
      positive: { offset: number; bucketCounts: number[] };
    };
    expect(point.count).toBe(4);
    expect(point.sum).toBe(7);
    expect(point.zeroCount).toBe(1);
    expect(point.min).toBe(0);
    expect(point.max).toBe(4);
    expect(point.scale).toBe(sdkPoint.scale);
    expect(point.positive).toEqual(sdkPoint.positive);
    expect(point.positive.bucketCounts.reduce((sum, count) => sum + count, 0)).toBe(3);
  });
});

// Hand-built protobuf for what the JS SDK cannot emit (summaries, unpacked repeated fields).
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}
const lengthField = (field: number, bytes: number[]): number[] => [
  ...varint(field * 8 + 2),
  ...varint(bytes.length),
  ...bytes,
];
const fixed64Field = (field: number, value: bigint | number): number[] => {
  const bytes = Buffer.alloc(8);
  if (typeof value === 'bigint') bytes.writeBigUInt64LE(value);
  else bytes.writeDoubleLE(value);
  return [...varint(field * 8 + 1), ...bytes];
};
function metricsRequest(metric: number[]): Uint8Array {
  return new Uint8Array(lengthField(1, lengthField(2, lengthField(2, metric))));
}

describe('metrics decoders on hand-built bodies', () => {
  it('summary in protobuf and JSON', () => {
    const quantile = (q: number, value: number): number[] =>
      lengthField(6, [...fixed64Field(1, q), ...fixed64Field(2, value)]);
    const point = [
      ...fixed64Field(3, 1788775274000000000n),
      ...fixed64Field(4, 10n),
      ...fixed64Field(5, 12.5),
      ...quantile(0.5, 1),
      ...quantile(0.99, 3),
    ];
    const metric = [
      ...lengthField(1, [...Buffer.from('rpc.latency')]),
      ...lengthField(11, lengthField(1, point)),
    ];
    const fromProtobuf = decodeMetricsRequestProtobuf(metricsRequest(metric)).request;
    const fromJson = decodeMetricsRequestJson(
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'rpc.latency',
                    summary: {
                      dataPoints: [
                        {
                          timeUnixNano: '1788775274000000000',
                          count: '10',
                          sum: 12.5,
                          quantileValues: [
                            { quantile: 0.5, value: 1 },
                            { quantile: 0.99, value: 3 },
                          ],
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).request;
    expect(fromJson).toEqual(fromProtobuf);
    expect(metricNamed(fromProtobuf, 'rpc.latency').data).toEqual({
      type: 'summary',
      dataPoints: [
        {
          attributes: {},
          startTimeUnixNano: 0n,
          timeUnixNano: 1788775274000000000n,
          count: 10,
          sum: 12.5,
          quantileValues: [
            { quantile: 0.5, value: 1 },
            { quantile: 0.99, value: 3 },
          ],
          flags: 0,
        },
      ],
    });
  });

  it('unpacked bucket counts equal packed ones', () => {
    const unpacked = [
      ...fixed64Field(3, 1788775274000000000n),
      ...fixed64Field(4, 7n),
      ...fixed64Field(6, 2n),
      ...fixed64Field(6, 5n),
      ...fixed64Field(7, 1.5),
    ];
    // Histogram field 2 is the aggregation temporality, here AGGREGATION_TEMPORALITY_DELTA.
    const histogram = [...lengthField(1, unpacked), ...varint(2 * 8), ...varint(1)];
    const metric = [...lengthField(1, [...Buffer.from('h')]), ...lengthField(9, histogram)];
    const result = decodeMetricsRequestProtobuf(metricsRequest(metric));
    expect(result.rejectionMessage).toBe('');
    const data = metricNamed(result.request, 'h').data;
    if (data?.type !== 'histogram') throw new Error('expected a histogram');
    expect(data.dataPoints[0]!.bucketCounts).toEqual([2, 5]);
    expect(data.dataPoints[0]!.explicitBounds).toEqual([1.5]);
  });

  it('data points without a time are counted', () => {
    const result = decodeMetricsRequestJson(
      JSON.stringify({
        resource_metrics: [
          {
            scope_metrics: [
              {
                metrics: [
                  {
                    name: 'g',
                    gauge: {
                      data_points: [
                        { as_double: 1, time_unix_nano: '1788775274000000000' },
                        { as_int: '7' },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(result.rejectedDataPoints).toBe(1);
    expect(result.rejectionMessage).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1].timeUnixNano is missing or 0; ' +
        'set the time of the data point in Unix nanoseconds',
    );
    expect(metricNamed(result.request, 'g').data?.dataPoints).toHaveLength(1);
  });

  it('wrong aggregation temporality name', () => {
    const text = JSON.stringify({
      resourceMetrics: [
        { scopeMetrics: [{ metrics: [{ name: 's', sum: { aggregationTemporality: 'DELTA' } }] }] },
      ],
    });
    expect(() => decodeMetricsRequestJson(text)).toThrow(OtlpDecodeError);
    expect(() => decodeMetricsRequestJson(text)).toThrow(
      'Invalid OTLP/JSON ExportMetricsServiceRequest at resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality: ' +
        'unknown enum name "DELTA"; send a number or one of AGGREGATION_TEMPORALITY_UNSPECIFIED, ' +
        'AGGREGATION_TEMPORALITY_DELTA, AGGREGATION_TEMPORALITY_CUMULATIVE.',
    );
  });
});

async function recordLogs(): Promise<
  ReturnType<InMemoryLogRecordExporter['getFinishedLogRecords']>
> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'logs-test' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('logs-scope', '3.0.0');
  const spanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED };
  logger.emit({
    timestamp: [1788775274, 123],
    observedTimestamp: [1788775275, 0],
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    eventName: 'gen_ai.client.inference.operation.details',
    body: {
      role: 'assistant',
      content: 'Order A-1187 shipped',
      tokens: 27,
      parts: ['a', 1.5, true],
    },
    attributes: { 'gen_ai.request.model': 'gpt-4o', retries: 2 },
    context: trace.setSpanContext(ROOT_CONTEXT, spanContext),
  });
  logger.emit({ body: 'plain text body', severityNumber: SeverityNumber.ERROR2 });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

describe('logs decoders on OTel JS SDK data', async () => {
  const records = await recordLogs();
  const protobufResult = decodeLogsRequestProtobuf(
    ProtobufLogsSerializer.serializeRequest(records)!,
  );
  const jsonResult = decodeLogsRequestJson(
    new TextDecoder().decode(JsonLogsSerializer.serializeRequest(records)!),
  );

  it('protobuf and JSON decode to equal requests', () => {
    expect(protobufResult.rejectedLogRecords).toBe(0);
    expect(jsonResult).toEqual(protobufResult);
  });

  it.each([
    ['protobuf', protobufResult],
    ['json', jsonResult],
  ] as const)('%s: record values', (_encoding, result) => {
    const resourceLogs = result.request.resourceLogs[0]!;
    expect(resourceLogs.resource).toEqual({ 'service.name': 'logs-test' });
    const scopeLogs = resourceLogs.scopeLogs[0]!;
    expect(scopeLogs.scope).toEqual({ name: 'logs-scope', version: '3.0.0', attributes: {} });
    const [first, second] = scopeLogs.logRecords;
    expect(first).toEqual({
      timeUnixNano: 1788775274000000123n,
      observedTimeUnixNano: 1788775275000000000n,
      severityNumber: 13,
      severityText: 'WARN',
      body: {
        role: 'assistant',
        content: 'Order A-1187 shipped',
        tokens: 27,
        parts: ['a', 1.5, true],
      },
      attributes: { 'gen_ai.request.model': 'gpt-4o', retries: 2 },
      droppedAttributesCount: 0,
      flags: 1,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      eventName: 'gen_ai.client.inference.operation.details',
    });
    expect(second?.body).toBe('plain text body');
    expect(second?.severityNumber).toBe(18);
    expect(second?.traceId).toBe('');
  });
});

describe('logs decoders on hand-built bodies', () => {
  it('severity names, snake_case and bad ids', () => {
    const result = decodeLogsRequestJson(
      JSON.stringify({
        resource_logs: [
          {
            scope_logs: [
              {
                log_records: [
                  {
                    severity_number: 'SEVERITY_NUMBER_FATAL4',
                    body: { string_value: 'x' },
                    trace_id: TRACE_ID,
                    span_id: SPAN_ID,
                  },
                  { severityNumber: 'SEVERITY_NUMBER_INFO', traceId: 'abc' },
                  {
                    severityNumber: 9,
                    traceId: '00000000000000000000000000000000',
                    spanId: '0000000000000000',
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(result.rejectedLogRecords).toBe(1);
    expect(result.rejectionMessage).toBe(
      'resourceLogs[0].scopeLogs[0].logRecords[1].traceId "abc" has 3 hex characters, an odd number; send the 16 bytes (32 hex characters) W3C id',
    );
    const kept = result.request.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(
      kept.map((record) => [record.severityNumber, record.body, record.traceId, record.spanId]),
    ).toEqual([
      [24, 'x', TRACE_ID, SPAN_ID],
      [9, null, '', ''],
    ]);
  });

  it('truncated protobuf throws', () => {
    const body = ProtobufLogsSerializer.serializeRequest([])!;
    expect(body.length).toBe(0);
    expect(decodeLogsRequestProtobuf(body).request.resourceLogs).toEqual([]);
    expect(() => decodeLogsRequestProtobuf(new Uint8Array([0x0a, 0x05, 0x12]))).toThrow(
      OtlpDecodeError,
    );
  });
});
