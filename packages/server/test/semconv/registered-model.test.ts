import { describe, expect, it } from 'vitest';
import { attributeSpans } from '../../src/enrich/attribution.ts';
import { normalizeTraceRequest } from '../../src/semconv/normalize.ts';
import { buildRequest, buildResourceSpans, buildSpan } from './loaders/otlp-builders.ts';
import { START_UNIX_NANO, normalizeOne } from './normalize-one.ts';

const NAME = 'foghorn.registered_model.name';
const VERSION = 'foghorn.registered_model.version';

describe('registered model normalization', () => {
  it('reads span attributes', () => {
    const span = normalizeOne({ [NAME]: 'iris-classifier', [VERSION]: '3' });
    expect(span.registeredModel).toBe('iris-classifier/3');
  });

  it('reads an integer version', () => {
    const span = normalizeOne({ [NAME]: 'iris-classifier', [VERSION]: 12 });
    expect(span.registeredModel).toBe('iris-classifier/12');
  });

  it('falls back to the resource', () => {
    const span = normalizeOne({}, { resource: { [NAME]: 'churn', [VERSION]: 4 } });
    expect(span.registeredModel).toBe('churn/4');
  });

  it('prefers the span pair', () => {
    const span = normalizeOne(
      { [NAME]: 'iris-classifier', [VERSION]: 2 },
      { resource: { [NAME]: 'churn', [VERSION]: 4 } },
    );
    expect(span.registeredModel).toBe('iris-classifier/2');
  });

  it('never mixes span and resource', () => {
    const span = normalizeOne({ [NAME]: 'iris-classifier' }, { resource: { [VERSION]: 4 } });
    expect(span.registeredModel).toBeNull();
  });

  it('is null without attributes', () => {
    expect(normalizeOne({ 'gen_ai.request.model': 'gpt-4o' }).registeredModel).toBeNull();
  });

  it('children inherit from ancestors', () => {
    const traceId = 'a'.repeat(32);
    const times = {
      startTimeUnixNano: START_UNIX_NANO,
      endTimeUnixNano: START_UNIX_NANO + 1_000_000n,
    };
    const root = buildSpan({
      ...times,
      traceId,
      spanId: '1'.repeat(16),
      name: 'predict',
      attributes: { [NAME]: 'iris-classifier', [VERSION]: 1 },
    });
    const agent = buildSpan({
      ...times,
      traceId,
      spanId: '2'.repeat(16),
      parentSpanId: root.spanId,
      name: 'agent',
      attributes: {},
    });
    const chat = buildSpan({
      ...times,
      traceId,
      spanId: '3'.repeat(16),
      parentSpanId: agent.spanId,
      name: 'chat',
      attributes: {},
    });
    const own = buildSpan({
      ...times,
      traceId,
      spanId: '4'.repeat(16),
      parentSpanId: root.spanId,
      name: 'shadow call',
      attributes: { [NAME]: 'iris-classifier', [VERSION]: 2 },
    });
    const spans = normalizeTraceRequest(
      buildRequest([buildResourceSpans({}, 'test', [chat, agent, own, root])]),
    );
    attributeSpans(spans);
    const byName = Object.fromEntries(spans.map((span) => [span.name, span.registeredModel]));
    expect(byName).toEqual({
      predict: 'iris-classifier/1',
      agent: 'iris-classifier/1',
      chat: 'iris-classifier/1',
      'shadow call': 'iris-classifier/2',
    });
  });
});
