import type { OtlpSpanEvent } from '../ingest/otlp/otlp-model.ts';
import { readNumber } from './attributes.ts';

/**
 * Span events that mark the first streamed chunk: AI SDK `ai.stream.firstChunk`,
 * OpenInference's `First Token Stream Event`, OpenLLMetry's per-chunk events
 * (before and after its OTel rename) and MLflow's first chunk.
 */
const FIRST_CHUNK_EVENTS: ReadonlySet<string> = new Set([
  'ai.stream.firstChunk',
  'First Token Stream Event',
  'gen_ai.content.completion.chunk',
  'llm.content.completion.chunk',
  'mlflow.chunk.item.0',
]);

/**
 * Returns the time to first token in milliseconds from the first-chunk events: the
 * AI SDK's millisecond attribute on one, else the earliest event time minus the span
 * start. Returns null when no such event exists or its time precedes the start.
 */
export function timeToFirstTokenFromEvents(
  events: readonly OtlpSpanEvent[],
  startTimeUnixNano: bigint,
): number | null {
  let earliest: bigint | null = null;
  for (const event of events) {
    if (!FIRST_CHUNK_EVENTS.has(event.name)) continue;
    const ms = readNumber(event.attributes, [
      'ai.response.msToFirstChunk',
      'ai.stream.msToFirstChunk',
    ]);
    if (ms !== null && ms >= 0) return ms;
    if (earliest === null || event.timeUnixNano < earliest) earliest = event.timeUnixNano;
  }
  if (earliest === null || earliest < startTimeUnixNano || startTimeUnixNano === 0n) return null;
  return Number(earliest - startTimeUnixNano) / 1e6;
}
