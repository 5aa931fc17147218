import type { Attributes } from './otlp/otlp-model.ts';
import type { CanonicalSpan, TokenUsage } from '../semconv/canonical-span.ts';

/** Attributes kept per span and per event; OTel SDKs default to 128, so only abuse reaches this. */
export const MAX_ATTRIBUTES_PER_SPAN = 4096;
/** Events kept per span. */
export const MAX_EVENTS_PER_SPAN = 1024;
/**
 * Largest token count kept in one usage field, an estimate far above the context window
 * of current models. The cap keeps the int64 token columns and their sums in the rollups
 * from overflowing, which fails the commit of every span in the batch.
 */
export const MAX_TOKENS_PER_COUNT = 1_000_000_000;

/**
 * Sets token counts above MAX_TOKENS_PER_COUNT to 0, because they cannot be real, and rounds
 * fractional counts, so that pricing and the stored integer columns read the same count.
 */
function checkTokenCounts(span: CanonicalSpan): void {
  for (const field of Object.keys(span.usage) as (keyof TokenUsage)[]) {
    const count = span.usage[field];
    if (count > MAX_TOKENS_PER_COUNT) {
      span.usage[field] = 0;
      span.ingestIssues.push(`usage_out_of_range:${field}`);
    } else if (!Number.isInteger(count)) span.usage[field] = Math.round(count);
  }
}

function truncateAttributes(attributes: Attributes): { kept: Attributes; dropped: number } {
  const keys = Object.keys(attributes);
  if (keys.length <= MAX_ATTRIBUTES_PER_SPAN) return { kept: attributes, dropped: 0 };
  const kept: Attributes = {};
  for (const key of keys.slice(0, MAX_ATTRIBUTES_PER_SPAN)) kept[key] = attributes[key]!;
  return { kept, dropped: keys.length - MAX_ATTRIBUTES_PER_SPAN };
}

/**
 * Caps the attributes and events stored for one span, after normalization has
 * read them, so a span with a million attributes is stored in bounded space, and
 * zeroes impossible and rounds fractional token counts before pricing reads them. The span is kept and
 * each cut is recorded in `ingestIssues`.
 */
export function applySpanLimits(span: CanonicalSpan): void {
  checkTokenCounts(span);
  const attributes = truncateAttributes(span.attributes);
  if (attributes.dropped > 0) {
    span.attributes = attributes.kept;
    span.ingestIssues.push(`attributes_truncated:${attributes.dropped}`);
  }
  if (span.events.length > MAX_EVENTS_PER_SPAN) {
    span.ingestIssues.push(`events_truncated:${span.events.length - MAX_EVENTS_PER_SPAN}`);
    span.events = span.events.slice(0, MAX_EVENTS_PER_SPAN);
  }
  for (const event of span.events) {
    const eventAttributes = truncateAttributes(event.attributes);
    if (eventAttributes.dropped > 0) event.attributes = eventAttributes.kept;
  }
}
