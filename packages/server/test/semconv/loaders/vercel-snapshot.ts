import type { OtlpSpan, OtlpTraceRequest } from '../../../src/ingest/otlp/otlp-model.ts';
import {
  buildRequest,
  buildResourceSpans,
  buildSpan,
  syntheticSpanId,
  syntheticTraceId,
} from './otlp-builders.ts';
import { toAttributes } from './plain-attributes.ts';

interface SnapshotSpan {
  name: string;
  attributes?: unknown;
  events?: { name: string; attributes?: unknown }[];
}

/**
 * Loads a snapshot object keyed by test name, each value the spans one call
 * produced. Each test becomes one trace under the AI SDK scope `ai`; the snapshot
 * records no ids, parents or times.
 */
export function loadVercelSnapshot(text: string): OtlpTraceRequest {
  const cases = Object.values(JSON.parse(text) as Record<string, SnapshotSpan[]>);
  let spanIndex = 0;
  const spans: OtlpSpan[] = [];
  cases.forEach((caseSpans, caseIndex) => {
    for (const item of caseSpans) {
      spans.push(
        buildSpan({
          name: item.name,
          attributes: toAttributes(item.attributes),
          traceId: syntheticTraceId(caseIndex),
          spanId: syntheticSpanId(spanIndex++),
          events: (item.events ?? []).map((event) => ({
            name: event.name,
            attributes: toAttributes(event.attributes),
            timeUnixNano: 0n,
          })),
        }),
      );
    }
  });
  return buildRequest([buildResourceSpans({}, 'ai', spans)]);
}
