import type { Attributes } from '@opentelemetry/api';
import type { ErrorType } from './error-type.ts';
import type { GenAiInstruments } from './instruments.ts';
import type { LlmCall } from './llm-call.ts';
import { withTokenType, type SeriesAttributes } from './series-attributes.ts';
import type { TokenUsage } from './usage.ts';

export interface CallMeasurements {
  durationSeconds: number;
  ttftSeconds: number | null;
  responseModel: string | undefined;
  usage: TokenUsage | undefined;
  errorType: ErrorType | null;
}

const SEPARATOR = '\u0000';

/**
 * Records the metrics of a finished call. The in-flight count goes down under
 * the attributes it went up with; the other metrics add the response model and
 * the error type.
 */
export function recordCallMetrics(call: LlmCall, measurements: CallMeasurements): void {
  const instruments = call.telemetry.instruments;
  instruments.activeRequests.add(call.seriesKey, call.metricAttributes, -1);

  const key = `${call.seriesKey}${SEPARATOR}${measurements.responseModel ?? ''}${SEPARATOR}${measurements.errorType ?? ''}`;
  const series =
    instruments.seriesAttributes.get(key) ??
    instruments.seriesAttributes.set(key, resultAttributes(call, measurements));
  const attributes = series.attributes;
  instruments.operationDuration.record(measurements.durationSeconds, attributes);
  instruments.requestDuration.record(measurements.durationSeconds, attributes);
  if (measurements.ttftSeconds !== null)
    instruments.timeToFirstChunk.record(measurements.ttftSeconds, attributes);
  if (measurements.errorType !== null) instruments.errors.add(key, attributes, 1);
  if (measurements.usage !== undefined) recordTokens(instruments, measurements.usage, series, key);
}

function resultAttributes(call: LlmCall, measurements: CallMeasurements): Attributes {
  const attributes: Attributes = { ...call.metricAttributes };
  if (measurements.responseModel !== undefined)
    attributes['gen_ai.response.model'] = measurements.responseModel;
  if (measurements.errorType !== null) attributes['error.type'] = measurements.errorType;
  return attributes;
}

function recordTokens(
  instruments: GenAiInstruments,
  usage: TokenUsage,
  series: SeriesAttributes,
  key: string,
): void {
  if (usage.inputTokens !== undefined) {
    const typed = withTokenType(series, 'input');
    instruments.tokenUsage.record(usage.inputTokens, typed);
    instruments.tokensConsumed.add(`${key}${SEPARATOR}input`, typed, usage.inputTokens);
  }
  if (usage.outputTokens !== undefined) {
    const typed = withTokenType(series, 'output');
    instruments.tokenUsage.record(usage.outputTokens, typed);
    instruments.tokensConsumed.add(`${key}${SEPARATOR}output`, typed, usage.outputTokens);
  }
  addCount(instruments, series, key, 'cache_read', usage.cacheReadTokens);
  addCount(instruments, series, key, 'cache_write', usage.cacheWriteTokens);
  addCount(instruments, series, key, 'reasoning', usage.reasoningTokens);
}

function addCount(
  instruments: GenAiInstruments,
  series: SeriesAttributes,
  key: string,
  tokenType: string,
  count: number | undefined,
): void {
  if (count !== undefined)
    instruments.tokensConsumed.add(
      `${key}${SEPARATOR}${tokenType}`,
      withTokenType(series, tokenType),
      count,
    );
}
