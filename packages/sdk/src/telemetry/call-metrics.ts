import type { ErrorType } from './error-type.ts';
import type { LlmCall } from './llm-call.ts';
import type { ResultSeries } from './call-series.ts';
import type { TokenUsage } from './usage.ts';

export interface CallMeasurements {
  durationSeconds: number;
  ttftSeconds: number | null;
  responseModel: string | undefined;
  usage: TokenUsage | undefined;
  errorType: ErrorType | null;
}

/**
 * Records the metrics of a finished call. The in-flight count goes down under
 * the attributes it went up with; the other metrics add the response model and
 * the error type.
 */
export function recordCallMetrics(call: LlmCall, measurements: CallMeasurements): void {
  call.series.active.value--;

  const series = call.series.result(measurements.responseModel, measurements.errorType);
  series.operationDuration.record(measurements.durationSeconds);
  series.requestDuration.record(measurements.durationSeconds);
  if (measurements.ttftSeconds !== null) series.timeToFirstChunk().record(measurements.ttftSeconds);
  if (measurements.errorType !== null) series.error().value++;
  if (measurements.usage !== undefined) recordTokens(measurements.usage, series);
}

function recordTokens(usage: TokenUsage, series: ResultSeries): void {
  if (usage.inputTokens !== undefined) {
    const cells = series.inputTokens();
    cells.usage.record(usage.inputTokens);
    cells.consumed.value += usage.inputTokens;
  }
  if (usage.outputTokens !== undefined) {
    const cells = series.outputTokens();
    cells.usage.record(usage.outputTokens);
    cells.consumed.value += usage.outputTokens;
  }
  addCount(series, 'cache_read', usage.cacheReadTokens);
  addCount(series, 'cache_write', usage.cacheWriteTokens);
  addCount(series, 'reasoning', usage.reasoningTokens);
}

function addCount(series: ResultSeries, tokenType: string, count: number | undefined): void {
  if (count !== undefined) series.tokenCell(tokenType).value += count;
}
