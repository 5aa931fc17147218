import type { TraceSpan } from '../api/types.ts';

/** One waterfall line: a span, its depth under its parent, and its bar on the trace's time axis. */
export interface WaterfallRow {
  span: TraceSpan;
  depth: number;
  /** True when the span names a parent that is not in the trace, so it is shown at the root. */
  orphan: boolean;
  offsetMs: number;
  durationMs: number;
}

export interface Waterfall {
  rows: WaterfallRow[];
  startUnixNano: bigint;
  totalMs: number;
}

function byStart(a: TraceSpan, b: TraceSpan): number {
  const difference = BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano);
  if (difference !== 0n) {
    return difference < 0n ? -1 : 1;
  }
  return a.spanId.localeCompare(b.spanId);
}

/**
 * Orders spans depth first, children by start time, for the waterfall. Spans whose parent
 * never arrived start their own tree at the root and are marked as orphans. A span seen
 * twice (a cycle in bad data) is drawn once.
 */
export function buildWaterfall(spans: readonly TraceSpan[]): Waterfall {
  if (spans.length === 0) return { rows: [], startUnixNano: 0n, totalMs: 0 };
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const span of spans) {
    const parentId = span.parentSpanId;
    if (parentId === null || parentId === '' || !ids.has(parentId) || parentId === span.spanId) {
      roots.push(span);
      continue;
    }
    const siblings = children.get(parentId) ?? [];
    siblings.push(span);
    children.set(parentId, siblings);
  }
  const startUnixNano = spans.reduce(
    (earliest, span) =>
      BigInt(span.startTimeUnixNano) < earliest ? BigInt(span.startTimeUnixNano) : earliest,
    BigInt(spans[0]!.startTimeUnixNano),
  );
  const endUnixNano = spans.reduce(
    (latest, span) =>
      BigInt(span.endTimeUnixNano) > latest ? BigInt(span.endTimeUnixNano) : latest,
    startUnixNano,
  );
  const rows: WaterfallRow[] = [];
  const visited = new Set<string>();
  const visit = (span: TraceSpan, depth: number): void => {
    if (visited.has(span.spanId)) return;
    visited.add(span.spanId);
    rows.push({
      span,
      depth,
      orphan: depth === 0 && span.parentSpanId !== null && span.parentSpanId !== '',
      offsetMs: Number(BigInt(span.startTimeUnixNano) - startUnixNano) / 1e6,
      durationMs: span.durationMs,
    });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  for (const span of [...spans].sort(byStart)) visit(span, 0);
  return { rows, startUnixNano, totalMs: Number(endUnixNano - startUnixNano) / 1e6 };
}

/** Sums the tokens and cost of a trace's LLM calls; other spans repeat them. */
export function traceTotals(spans: readonly TraceSpan[]): {
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  llmCalls: number;
} {
  const calls = spans.filter((span) => span.isLlmCall);
  const priced = calls.filter((span) => span.cost.totalUsd !== null);
  return {
    inputTokens: calls.reduce((total, span) => total + span.usage.inputTokens, 0),
    outputTokens: calls.reduce((total, span) => total + span.usage.outputTokens, 0),
    costUsd:
      priced.length === 0
        ? null
        : priced.reduce((total, span) => total + (span.cost.totalUsd ?? 0), 0),
    llmCalls: calls.length,
  };
}
