import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { makeSpan } from '../api/span-factory.ts';

/** Start of the first call that `llmCalls` makes: 2026-11-20 09:00 UTC. */
export const CALLS_START_MS = Date.UTC(2026, 10, 20, 9, 0, 0);

/**
 * Makes `count` gpt-4o calls of trace number `traceNumber`, with span ids 1 to `count`,
 * starting a millisecond apart from CALLS_START_MS.
 */
export function llmCalls(traceNumber: number, count: number): CanonicalSpan[] {
  return Array.from({ length: count }, (_, i) =>
    makeSpan({
      traceId: traceNumber.toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      startMs: CALLS_START_MS + i,
      durationMs: 100,
      model: 'gpt-4o',
      inputTokens: 10,
    }),
  );
}
