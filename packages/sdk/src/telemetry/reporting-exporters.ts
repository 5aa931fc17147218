import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DropReporter } from './drop-reporter.ts';

/** Wraps a span exporter so that spans of failed exports are counted as dropped; `onSettled` follows every export. */
export function reportingSpanExporter(
  inner: SpanExporter,
  drops: DropReporter,
  onSettled: (spanCount: number) => void,
): SpanExporter {
  return {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      inner.export(spans, (result) => {
        onSettled(spans.length);
        if (result.code === ExportResultCode.SUCCESS) drops.recover();
        else
          drops.drop(
            spans.length,
            `exporting spans failed (${result.error?.message ?? 'unknown error'})`,
          );
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

/** Wraps a metric exporter so that failed exports are counted as dropped. */
export function reportingMetricExporter(
  inner: PushMetricExporter,
  drops: DropReporter,
): PushMetricExporter {
  return {
    export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
      inner.export(metrics, (result) => {
        if (result.code === ExportResultCode.SUCCESS) drops.recover();
        else
          drops.drop(1, `exporting metrics failed (${result.error?.message ?? 'unknown error'})`);
        resultCallback(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    selectAggregationTemporality: inner.selectAggregationTemporality?.bind(inner),
    selectAggregation: inner.selectAggregation?.bind(inner),
  };
}
