import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_PACK_YAML } from '../../server/src/alerts/default-pack.ts';
import { resolveConfig } from '../src/config/resolve-config.ts';
import {
  FOGHORN_ALARM_THRESHOLDS_SECONDS,
  FoghornConfigError,
  GENAI_DURATION_BUCKETS_SECONDS,
  GENAI_TOKEN_BUCKETS,
  init,
} from '../src/index.ts';
import { capturingLogger } from './helpers/sdk-harness.ts';

describe('bucket boundaries', () => {
  it('contain every duration threshold of the default alarms', () => {
    const rules = (
      parse(DEFAULT_PACK_YAML) as { rules: { expr: string; kind?: string; threshold?: number }[] }
    ).rules;
    const thresholdsSeconds = new Set<number>();
    for (const rule of rules) {
      const matcher = /threshold_ms="(\d+)"/.exec(rule.expr);
      if (matcher !== null) thresholdsSeconds.add(Number(matcher[1]) / 1000);
      // Baseline rules compare a ratio or a difference, so their thresholds are no durations.
      const absolute = rule.kind === undefined || rule.kind === 'threshold';
      if (absolute && /^(latency|ttft)_p\d+_ms/.test(rule.expr) && rule.threshold !== undefined) {
        thresholdsSeconds.add(rule.threshold / 1000);
      }
    }
    expect([...thresholdsSeconds].sort((a, b) => a - b)).toEqual([
      ...FOGHORN_ALARM_THRESHOLDS_SECONDS,
    ]);
    for (const threshold of thresholdsSeconds)
      expect(GENAI_DURATION_BUCKETS_SECONDS).toContain(threshold);
  });

  it('increase and stay fine between 0.5 and 10 s', () => {
    const bounds = GENAI_DURATION_BUCKETS_SECONDS;
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]!).toBeGreaterThan(bounds[i - 1]!);
    expect(bounds[0]).toBe(0.01);
    expect(bounds[bounds.length - 1]).toBe(300);
    const middle = bounds.filter((bound) => bound >= 0.5 && bound <= 10);
    for (let i = 1; i < middle.length; i++)
      expect(middle[i]! - middle[i - 1]!).toBeLessThanOrEqual(1);
    expect(middle.length).toBeGreaterThanOrEqual(20);
    expect(GENAI_TOKEN_BUCKETS[GENAI_TOKEN_BUCKETS.length - 1]).toBe(4 ** 13);
  });
});

describe('options from code', () => {
  it('rejects an endpoint without a scheme', () => {
    expect(() => init({ endpoint: 'localhost:4318' })).toThrow(
      new FoghornConfigError(
        'init option "endpoint" is "localhost:4318"; expected an http:// or https:// URL such as http://127.0.0.1:4318',
      ),
    );
  });

  it('rejects an unknown exporter and a negative interval', () => {
    expect(() => init({ exporter: 'jaeger' as never })).toThrow(
      'init option "exporter" is "jaeger"; expected one of otlp, console, none',
    );
    expect(() => init({ metricExportIntervalMs: -5 })).toThrow(
      'init option "metricExportIntervalMs" is -5; expected a positive integer',
    );
  });

  it('rejects a metric reader entry of another type', () => {
    expect(() => init({ metricReaders: [42 as never] })).toThrow(
      'init option "metricReaders[0]" is "number"; expected a MetricReader or a function that builds one from { metricProducers }',
    );
  });

  it('never echoes header values', () => {
    let message = '';
    try {
      init({ headers: { authorization: 42 as never } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'init option "headers" is "[object]"; expected an object of string values',
    );
  });
});

describe('options from the environment', () => {
  it('warns once on a bad value and uses the default', () => {
    const lines: string[] = [];
    const env = { FOGHORN_METRIC_EXPORT_INTERVAL_MS: 'fast' };
    const first = resolveConfig({ logger: capturingLogger(lines) }, env);
    resolveConfig({ logger: capturingLogger(lines) }, env);
    expect(first.metricExportIntervalMs).toBe(15_000);
    expect(lines).toEqual([
      'warn [foghorn] FOGHORN_METRIC_EXPORT_INTERVAL_MS="fast" is invalid; expected a positive whole number of milliseconds; using the default',
    ]);
  });

  it('hides header values in warnings', () => {
    const lines: string[] = [];
    const config = resolveConfig(
      { logger: capturingLogger(lines) },
      { OTEL_EXPORTER_OTLP_HEADERS: 'secret-token-without-key' },
    );
    expect(config.headers).toEqual({});
    expect(lines.join('\n')).not.toContain('secret-token');
    expect(lines[0]).toContain('OTEL_EXPORTER_OTLP_HEADERS="<hidden>" is invalid');
  });

  it('reads OTEL variables, with code options first', () => {
    const env = {
      OTEL_SERVICE_NAME: 'checkout',
      OTEL_RESOURCE_ATTRIBUTES:
        'service.version=2.0.1,team=search%20core,deployment.environment.name=staging',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:14318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=acme',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:9999/custom/metrics',
      FOGHORN_CAPTURE_CONTENT: 'true',
    };
    const config = resolveConfig({}, env);
    expect(config.serviceName).toBe('checkout');
    expect(config.serviceVersion).toBe('2.0.1');
    expect(config.environment).toBe('staging');
    expect(config.resourceAttributes.team).toBe('search core');
    expect(config.tracesUrl).toBe('http://127.0.0.1:14318/v1/traces');
    expect(config.metricsUrl).toBe('http://127.0.0.1:9999/custom/metrics');
    expect(config.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 'acme' });
    expect(config.captureContent).toBe(true);
    const fromCode = resolveConfig(
      { serviceName: 'billing', endpoint: 'http://127.0.0.1:24318' },
      env,
    );
    expect(fromCode.serviceName).toBe('billing');
    expect(fromCode.metricsUrl).toBe('http://127.0.0.1:24318/v1/metrics');
  });

  it('reports an unsupported OTLP protocol', () => {
    const lines: string[] = [];
    resolveConfig({ logger: capturingLogger(lines) }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(lines).toEqual([
      'warn [foghorn] OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not supported by @foghorn/sdk; expected http/protobuf; using http/protobuf',
    ]);
  });
});
