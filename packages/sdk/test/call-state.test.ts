import { describe, expect, it } from 'vitest';
import { createRequestAttributes } from '../src/clients/request-attributes.ts';
import { createAggregatedInstruments } from '../src/telemetry/instruments.ts';
import { NOOP_LOGGER } from '../src/telemetry/logger.ts';

describe('createRequestAttributes', () => {
  it('reads address and port of a base URL', () => {
    expect(createRequestAttributes('http://127.0.0.1:9/v1')).toEqual({
      'server.address': '127.0.0.1',
      'server.port': 9,
    });
  });

  it('uses the default port of the scheme', () => {
    expect(createRequestAttributes('https://api.openai.com/v1')).toEqual({
      'server.address': 'api.openai.com',
      'server.port': 443,
    });
    expect(createRequestAttributes('http://llm.internal/v1')['server.port']).toBe(80);
  });

  it('returns empty attributes for an invalid URL', () => {
    expect(createRequestAttributes('not a url')).toEqual({});
    expect(createRequestAttributes(undefined)).toEqual({});
  });

  it('returns a new object per call', () => {
    const first = createRequestAttributes('http://127.0.0.1:9/v1');
    first['gen_ai.request.max_tokens'] = 200;
    expect(createRequestAttributes('http://127.0.0.1:9/v1')).not.toHaveProperty(
      'gen_ai.request.max_tokens',
    );
  });
});

describe('CallSeries.result', () => {
  const series = createAggregatedInstruments(NOOP_LOGGER).series.forCall(
    'chat',
    'openai',
    'gpt-4o-mini',
    'acme',
    undefined,
  );

  it('keeps one series per response model and error type', () => {
    const ok = series.result('gpt-4o-mini-2024-07-18', null);
    const otherModel = series.result('gpt-4o-2024-08-06', null);
    const failed = series.result('gpt-4o-mini-2024-07-18', 'timeout');
    const noModel = series.result(undefined, 'timeout');

    expect(series.result('gpt-4o-mini-2024-07-18', null)).toBe(ok);
    expect(series.result('gpt-4o-2024-08-06', null)).toBe(otherModel);
    expect(series.result('gpt-4o-mini-2024-07-18', 'timeout')).toBe(failed);
    expect(series.result(undefined, 'timeout')).toBe(noModel);
    expect(new Set([ok, otherModel, failed, noModel]).size).toBe(4);
  });

  it('labels each result series with its own attributes', () => {
    expect(series.result('gpt-4o-2024-08-06', null).attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'tenant.id': 'acme',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
    });
    expect(series.result(undefined, 'timeout').attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'tenant.id': 'acme',
      'error.type': 'timeout',
    });
  });
});

describe('SeriesRegistry.forCall', () => {
  const base = ['chat', 'openai', 'gpt-4o-mini', 'acme', 'support'] as const;
  const variants: [string, (string | undefined)[]][] = [
    ['operation', ['embeddings', 'openai', 'gpt-4o-mini', 'acme', 'support']],
    ['provider', ['chat', 'azure.ai.openai', 'gpt-4o-mini', 'acme', 'support']],
    ['request model', ['chat', 'openai', 'gpt-4o', 'acme', 'support']],
    ['tenant', ['chat', 'openai', 'gpt-4o-mini', 'globex', 'support']],
    ['feature', ['chat', 'openai', 'gpt-4o-mini', 'acme', undefined]],
  ];

  it.each(variants)('tells series apart by %s right after a hit', (_dimension, other) => {
    const registry = createAggregatedInstruments(NOOP_LOGGER).series;
    const first = registry.forCall(...base);
    const [operation, provider, requestModel, tenant, feature] = other;
    const second = registry.forCall(operation!, provider!, requestModel, tenant, feature);

    expect(second).not.toBe(first);
    expect(second.dimensions).toEqual({ operation, provider, requestModel, tenant, feature });
    expect(registry.forCall(...base)).toBe(first);
    expect(registry.forCall(operation!, provider!, requestModel, tenant, feature)).toBe(second);
  });
});
