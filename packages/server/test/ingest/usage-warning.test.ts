import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../src/ingest/otlp/otlp-model.ts';
import { applySpanLimits, usageWarning } from '../../src/ingest/span-limits.ts';
import { makeSpan } from '../api/span-factory.ts';

const TRACE_ID = 'ab'.repeat(16);
const SPAN_ID = 'cd'.repeat(8);

function callWith(attributes: Attributes, inputTokens = 0, outputTokens = 0) {
  const span = makeSpan({
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    startMs: Date.UTC(2026, 11, 1),
    durationMs: 500,
    model: 'gpt-4o',
    inputTokens,
    outputTokens,
    attributes,
  });
  applySpanLimits(span);
  return span;
}

describe('usage warning', () => {
  it('names each key above the cap', () => {
    const span = callWith(
      { 'gen_ai.usage.input_tokens': 2_000_000_000, 'gen_ai.usage.output_tokens': 3_000_000_000 },
      2_000_000_000,
      3_000_000_000,
    );

    expect(span.ingestIssues).toEqual([
      'usage_out_of_range:inputTokens',
      'usage_out_of_range:outputTokens',
    ]);
    expect(usageWarning([span])).toBe(
      `span ${SPAN_ID} of trace ${TRACE_ID}: ` +
        'gen_ai.usage.input_tokens 2000000000 is above 1000000000, the largest token count Foghorn keeps, so inputTokens was stored as 0; send the number of tokens of the call. ' +
        'gen_ai.usage.output_tokens 3000000000 is above 1000000000, the largest token count Foghorn keeps, so outputTokens was stored as 0; send the number of tokens of the call',
    );
  });

  it('marks values past kept attributes', () => {
    const attributes: Attributes = {};
    for (let i = 0; i < 4100; i++) attributes[`filler.${i}`] = i;
    attributes['gen_ai.usage.input_tokens'] = 'lots';

    const span = callWith(attributes);

    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(usageWarning([span])).toBe(
      `span ${SPAN_ID} of trace ${TRACE_ID}: gen_ai.usage.input_tokens (value not kept: past the first 4096 attributes) is not a token count, so the span counts no tokens from it; send a non-negative integer`,
    );
  });

  it('is empty for clean spans', () => {
    expect(usageWarning([callWith({ 'gen_ai.usage.input_tokens': 12 }, 12)])).toBe('');
  });
});
