import { attributeSpans } from '../../src/enrich/attribution.ts';
import type { Attributes, OtlpSpanEvent } from '../../src/ingest/otlp/otlp-model.ts';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { normalizeTraceRequest } from '../../src/semconv/normalize.ts';
import { buildRequest, buildResourceSpans, buildSpan } from './loaders/otlp-builders.ts';

/** A fixed span start: 2026-01-01T00:00:00Z in Unix nanoseconds. */
export const START_UNIX_NANO = 1_767_225_600_000_000_000n;

export interface OneSpanOptions {
  name?: string;
  scopeName?: string;
  resource?: Attributes;
  events?: OtlpSpanEvent[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode?: number;
  statusMessage?: string;
  /** OTLP span kind number; default internal (1). */
  kind?: number;
}

/** Normalizes and attributes one span built from `attributes`, as the ingest pipeline would. */
export function normalizeOne(attributes: Attributes, options: OneSpanOptions = {}): CanonicalSpan {
  const span = buildSpan({
    name: options.name ?? 'span',
    attributes,
    startTimeUnixNano: START_UNIX_NANO,
    endTimeUnixNano: START_UNIX_NANO + 2_000_000_000n,
    events: options.events ?? [],
    status: { code: options.statusCode ?? 0, message: options.statusMessage ?? '' },
  });
  if (options.kind !== undefined) span.kind = options.kind;
  const request = buildRequest([
    buildResourceSpans(options.resource ?? {}, options.scopeName ?? '', [span]),
  ]);
  const spans = normalizeTraceRequest(request);
  attributeSpans(spans);
  return spans[0] as CanonicalSpan;
}

/** Builds a span event `offsetMs` after START_UNIX_NANO. */
export function eventAt(
  name: string,
  offsetMs: number,
  attributes: Attributes = {},
): OtlpSpanEvent {
  return { name, attributes, timeUnixNano: START_UNIX_NANO + BigInt(offsetMs) * 1_000_000n };
}
