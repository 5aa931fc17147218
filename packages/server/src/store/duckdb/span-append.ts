import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { Attributes } from '../../ingest/otlp/otlp-model.ts';
import type { CanonicalSpan, SpanCost, SpanEvent } from '../../semconv/canonical-span.ts';
import { appendNullableDouble, appendNullableVarchar, fillAppender } from './appender-values.ts';
import { costDetailJson } from './cost-detail.ts';
import { toJson } from './json.ts';

/** Rows appended between two turns of the event loop, about 5 ms of appender calls. */
const ROWS_PER_SLICE = 256;

/**
 * Appends `spans` to the spans table in the connection's open transaction. The appender
 * calls run on the event loop, so the rows go in slices with a turn of the event loop
 * between them, and requests arriving meanwhile wait for one slice at most. Smaller
 * slices of 64 rows, each flushed, cut ingest throughput by 10 to 15 % in
 * `bench/ingest/memory-bench.ts`.
 * Nothing else may use the connection until this resolves.
 */
export async function appendSpans(
  connection: DuckDBConnection,
  spans: readonly CanonicalSpan[],
): Promise<void> {
  await fillAppender(connection, 'spans', async (appender) => {
    const json = new SpanJson();
    for (let i = 0; i < spans.length; i++) {
      appendSpan(appender, spans[i]!, json);
      if ((i + 1) % ROWS_PER_SLICE === 0 && i + 1 < spans.length) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  });
}

/**
 * Serializes the JSON columns of one batch. Attribute values contain no bigints
 * (see `AttributeValue`), so they skip the bigint replacer that events need.
 * The spans of one resource share one attributes object, serialized once.
 */
class SpanJson {
  private lastResource: Attributes | null = null;
  private lastResourceJson = '';

  attributes(attributes: Attributes): string {
    return stringifyAttributes(attributes);
  }

  resource(attributes: Attributes): string {
    if (attributes !== this.lastResource) {
      this.lastResource = attributes;
      this.lastResourceJson = stringifyAttributes(attributes);
    }
    return this.lastResourceJson;
  }

  events(events: readonly SpanEvent[]): string {
    return events.length === 0 ? '[]' : toJson(events);
  }

  /** Calls of one batch share a few prices, so equal cost details are serialized once. */
  private readonly costDetails = new Map<string, string | null>();

  costDetail(cost: SpanCost): string | null {
    const prices = cost.pricesUsdPerMTok;
    if (prices === undefined || prices === null) return null;
    const detail = cost.priceDetail;
    const key =
      `${prices.input}|${prices.output}|${prices.cacheRead}|${prices.cacheWrite}|${prices.cacheWrite1h}|` +
      `${prices.reasoning}|${prices.longContextAboveInputTokens}|` +
      (detail === null || detail === undefined
        ? ''
        : `${detail.source}|${detail.effectiveFrom}|${detail.cacheWrite1hTokens}|${detail.azureDeployment}`);
    let json = this.costDetails.get(key);
    if (json === undefined) {
      json = costDetailJson(cost);
      this.costDetails.set(key, json);
    }
    return json;
  }
}

function stringifyAttributes(attributes: Attributes): string {
  try {
    return JSON.stringify(attributes);
  } catch {
    // Only a bigint outside the attribute type gets here; toJson stores it as a decimal string.
    return toJson(attributes);
  }
}

function roundedBigInt(value: number): bigint {
  return BigInt(Math.round(value));
}

/** Appends one row in the column order of SPANS_COLUMNS. */
function appendSpan(appender: DuckDBAppender, span: CanonicalSpan, json: SpanJson): void {
  appender.appendVarchar(span.traceId);
  appender.appendVarchar(span.spanId);
  appendNullableVarchar(appender, span.parentSpanId);
  appender.appendVarchar(span.name);
  appender.appendVarchar(span.spanKind);
  appender.appendVarchar(span.serviceName);
  appender.appendVarchar(span.scopeName);

  appender.appendBigInt(span.startTimeUnixNano);
  appender.appendBigInt(span.endTimeUnixNano);
  appender.appendDouble(span.durationMs);
  appender.appendVarchar(span.statusCode);
  appendNullableVarchar(appender, span.statusMessage);
  appendNullableVarchar(appender, span.errorType);
  appender.appendVarchar(span.dialect);
  appender.appendVarchar(span.operation);
  appender.appendVarchar(span.spanType);
  appender.appendBoolean(span.isLlmCall);

  appendNullableVarchar(appender, span.provider);
  appendNullableVarchar(appender, span.requestModel);
  appendNullableVarchar(appender, span.responseModel);
  appendNullableVarchar(appender, span.model);

  appender.appendBigInt(roundedBigInt(span.usage.inputTokens));
  appender.appendBigInt(roundedBigInt(span.usage.outputTokens));
  appender.appendBigInt(roundedBigInt(span.usage.cachedInputTokens));
  appender.appendBigInt(roundedBigInt(span.usage.cacheWriteTokens));
  appender.appendBigInt(roundedBigInt(span.usage.reasoningTokens));

  appendNullableDouble(appender, span.cost.totalUsd);
  appendNullableDouble(appender, span.cost.inputUsd);
  appendNullableDouble(appender, span.cost.outputUsd);
  appendNullableDouble(appender, span.cost.cacheReadUsd);
  appendNullableDouble(appender, span.cost.cacheWriteUsd);
  appendNullableVarchar(appender, span.cost.priceModel);
  appendNullableVarchar(appender, span.cost.priceTableVersion);
  appendNullableDouble(appender, span.timeToFirstTokenMs);

  appendNullableVarchar(appender, span.tenant);
  appendNullableVarchar(appender, span.userId);
  appendNullableVarchar(appender, span.sessionId);
  appendNullableVarchar(appender, span.feature);
  appendNullableVarchar(appender, span.environment);

  appender.appendVarchar(json.attributes(span.attributes));
  appender.appendVarchar(json.resource(span.resourceAttributes));
  appender.appendVarchar(json.events(span.events));
  appendNullableVarchar(
    appender,
    span.ingestIssues.length === 0 ? null : span.ingestIssues.join(','),
  );
  appendNullableVarchar(appender, json.costDetail(span.cost));
  appender.appendVarchar(span.projectId);
  appendNullableVarchar(appender, span.registeredModel);
  appender.endRow();
}
