import { describe, expect, it } from 'vitest';
import { encodeLogsRequest } from '../../src/forward/otlp-encode-logs.ts';
import { encodeMetricsRequest } from '../../src/forward/otlp-encode-metrics.ts';
import { toLogRecords } from '../../src/ingest/logs-pipeline.ts';
import {
  decodeLogsRequestJson,
  decodeLogsRequestProtobuf,
  decodeMetricsRequestJson,
  decodeMetricsRequestProtobuf,
} from '../../src/ingest/otlp/index.ts';

const attrs = (entries: Record<string, unknown>) =>
  Object.entries(entries).map(([key, value]) => ({ key, value }));

const METRICS_JSON = {
  resourceMetrics: [
    {
      resource: { attributes: attrs({ 'service.name': { stringValue: 'encode-test' } }) },
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeMetrics: [
        {
          scope: { name: 'encode-scope', version: '1.2.3' },
          metrics: [
            {
              name: 'gen_ai.client.token.usage',
              unit: '{token}',
              description: 'tokens',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    attributes: attrs({
                      'gen_ai.token.type': { stringValue: 'input' },
                      nested: {
                        kvlistValue: {
                          values: attrs({ depth: { intValue: '2' }, on: { boolValue: true } }),
                        },
                      },
                      list: {
                        arrayValue: { values: [{ doubleValue: 1.5 }, { stringValue: 'x' }] },
                      },
                    }),
                    startTimeUnixNano: '1700000000000000000',
                    timeUnixNano: '1700000060000000000',
                    count: '6',
                    sum: 4100.5,
                    bucketCounts: ['1', '2', '3'],
                    explicitBounds: [100, 1000],
                    min: 50,
                    max: 2000,
                  },
                ],
              },
            },
            {
              name: 'requests',
              sum: {
                aggregationTemporality: 1,
                isMonotonic: false,
                dataPoints: [
                  { timeUnixNano: '1700000060000000000', asInt: '-42' },
                  { timeUnixNano: '1700000060000000000', asDouble: 0.25, flags: 1 },
                ],
              },
            },
            {
              name: 'queue.depth',
              gauge: { dataPoints: [{ timeUnixNano: '1700000060000000000', asDouble: 3 }] },
            },
            {
              name: 'latency.exp',
              exponentialHistogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    timeUnixNano: '1700000060000000000',
                    count: '5',
                    sum: 12,
                    scale: -2,
                    zeroCount: '1',
                    zeroThreshold: 0.001,
                    positive: { offset: -3, bucketCounts: ['1', '2'] },
                    negative: { offset: 4, bucketCounts: ['1'] },
                  },
                ],
              },
            },
            {
              name: 'latency.summary',
              summary: {
                dataPoints: [
                  {
                    timeUnixNano: '1700000060000000000',
                    count: '10',
                    sum: 55,
                    quantileValues: [
                      { quantile: 0.5, value: 4 },
                      { quantile: 0.99, value: 9.5 },
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
};

const LOGS_JSON = {
  resourceLogs: [
    {
      resource: { attributes: attrs({ 'service.name': { stringValue: 'encode-test' } }) },
      scopeLogs: [
        {
          scope: { name: 'encode-scope' },
          logRecords: [
            {
              timeUnixNano: '1700000000000000000',
              observedTimeUnixNano: '1700000000500000000',
              severityNumber: 9,
              severityText: 'INFO',
              eventName: 'gen_ai.user.message',
              body: { kvlistValue: { values: attrs({ content: { stringValue: 'hello' } }) } },
              attributes: attrs({ 'gen_ai.system': { stringValue: 'openai' } }),
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
            },
            { observedTimeUnixNano: '1700000001000000000', body: { stringValue: 'plain' } },
          ],
        },
      ],
    },
  ],
};

describe('OTLP forward encoders', () => {
  it('metrics round trip through the decoder', () => {
    const decoded = decodeMetricsRequestJson(JSON.stringify(METRICS_JSON));
    expect(decoded.rejectedDataPoints).toBe(0);
    const again = decodeMetricsRequestProtobuf(encodeMetricsRequest(decoded.request));
    expect(again.rejectedDataPoints).toBe(0);
    expect(again.request).toEqual(decoded.request);
  });

  it('log records round trip through the decoder', () => {
    const receivedAtUnixNano = 1_700_000_100_000_000_000n;
    const records = toLogRecords(
      decodeLogsRequestJson(JSON.stringify(LOGS_JSON)).request,
      receivedAtUnixNano,
    );
    expect(records).toHaveLength(2);
    const again = toLogRecords(
      decodeLogsRequestProtobuf(encodeLogsRequest(records)).request,
      receivedAtUnixNano,
    );
    expect(again).toEqual(records);
  });
});
