import type { AttributeValue, Attributes } from './otlp/otlp-model.ts';
import type { CanonicalSpan, TokenUsage } from '../semconv/canonical-span.ts';
import { USAGE_ATTRIBUTE_KEYS, usageKeysOf } from '../semconv/usage-keys.ts';
import { quoteValue } from './otlp/id-check.ts';
import { setEntry } from '../lookup-table.ts';

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

/** Prefixes of the ingest issues about token counts, followed by the count or the attribute key. */
const USAGE_OUT_OF_RANGE = 'usage_out_of_range:';
const USAGE_INVALID = 'usage_invalid:';

/**
 * Sets token counts above MAX_TOKENS_PER_COUNT to 0, because they cannot be real, and rounds
 * fractional counts, so that pricing and the stored integer columns read the same count.
 */
function checkTokenCounts(span: CanonicalSpan): void {
  for (const field of Object.keys(span.usage) as (keyof TokenUsage)[]) {
    const count = span.usage[field];
    if (count > MAX_TOKENS_PER_COUNT) {
      span.usage[field] = 0;
      span.ingestIssues.push(`${USAGE_OUT_OF_RANGE}${field}`);
    } else if (!Number.isInteger(count)) span.usage[field] = Math.round(count);
  }
}

/** Returns whether the usage readers take `value` as a token count: a finite, non-negative number or numeric text. */
function isCount(value: AttributeValue): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0;
  if (typeof value !== 'string' || value.trim() === '') return false;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0;
}

/**
 * Flags usage attributes that contain no count, such as a negative number or text: the readers
 * skip them, so the span counts no tokens from them. The loop runs over the span's own keys,
 * because a span has fewer of them than there are usage keys.
 */
function checkUsageAttributes(span: CanonicalSpan): void {
  for (const key in span.attributes) {
    if (USAGE_ATTRIBUTE_KEYS.has(key) && !isCount(span.attributes[key]!))
      span.ingestIssues.push(`${USAGE_INVALID}${key}`);
  }
}

function truncateAttributes(attributes: Attributes): { kept: Attributes; dropped: number } {
  const keys = Object.keys(attributes);
  if (keys.length <= MAX_ATTRIBUTES_PER_SPAN) return { kept: attributes, dropped: 0 };
  const kept: Attributes = {};
  for (const key of keys.slice(0, MAX_ATTRIBUTES_PER_SPAN)) setEntry(kept, key, attributes[key]!);
  return { kept, dropped: keys.length - MAX_ATTRIBUTES_PER_SPAN };
}

/**
 * Caps the attributes and events stored for one span, after normalization has
 * read them, so a span with a million attributes is stored in bounded space, and
 * zeroes impossible and rounds fractional token counts before pricing reads them. The span is kept and
 * each cut is recorded in `ingestIssues`.
 */
export function applySpanLimits(span: CanonicalSpan): void {
  checkUsageAttributes(span);
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

/**
 * Formats a received value for a message: text quoted, anything else as JSON, both cut to a
 * readable length. An attribute past the kept ones was read but not stored, so it has no value.
 */
function showValue(value: AttributeValue | undefined): string {
  if (value === undefined)
    return `(value not kept: past the first ${MAX_ATTRIBUTES_PER_SPAN} attributes)`;
  if (typeof value === 'string') return quoteValue(value);
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 80)}...` : json;
}

/** Describes one usage issue of `span`, or returns '' when the issue is of another kind. */
function describeUsageIssue(span: CanonicalSpan, issue: string): string {
  if (issue.startsWith(USAGE_INVALID)) {
    const key = issue.slice(USAGE_INVALID.length);
    return `${key} ${showValue(span.attributes[key])} is not a token count, so the span counts no tokens from it; send a non-negative integer`;
  }
  if (issue.startsWith(USAGE_OUT_OF_RANGE)) {
    const field = issue.slice(USAGE_OUT_OF_RANGE.length) as keyof TokenUsage;
    const key = usageKeysOf(field).find((candidate) => {
      const value = span.attributes[candidate];
      return value !== undefined && isCount(value) && Number(value) > MAX_TOKENS_PER_COUNT;
    });
    const source = key === undefined ? field : `${key} ${showValue(span.attributes[key])}`;
    return `${source} is above ${MAX_TOKENS_PER_COUNT}, the largest token count Foghorn keeps, so ${field} was stored as 0; send the number of tokens of the call`;
  }
  return '';
}

/** Describes every usage issue of `span`, or returns '' when it has none. */
function describeUsageIssues(span: CanonicalSpan): string {
  const described: string[] = [];
  for (const issue of span.ingestIssues) {
    const text = describeUsageIssue(span, issue);
    if (text !== '') described.push(text);
  }
  if (described.length === 0) return '';
  return `span ${span.spanId} of trace ${span.traceId}: ${described.join('. ')}`;
}

function isUsageIssue(issue: string): boolean {
  return issue.startsWith(USAGE_INVALID) || issue.startsWith(USAGE_OUT_OF_RANGE);
}

/**
 * Returns a warning for the OTLP `partial_success` of a request whose spans were all kept:
 * how many spans carry a token count that was not read, and why for the first. '' when none does.
 */
export function usageWarning(spans: readonly CanonicalSpan[]): string {
  let first: CanonicalSpan | null = null;
  let count = 0;
  for (const span of spans) {
    if (!span.ingestIssues.some(isUsageIssue)) continue;
    first ??= span;
    count++;
  }
  if (first === null) return '';
  const described = describeUsageIssues(first);
  return count === 1
    ? described
    : `${count} spans have token counts that were not read; the first: ${described}`;
}
