import type { SpanCost } from '../semconv/canonical-span.ts';
import type { ProjectWindow, RepriceSpan, Store, TimeWindow } from '../store/store.ts';
import type { PriceBook } from './price-book.ts';

/** How the costs of one model changed in a re-price. */
export interface RepriceModelChange {
  /** The span's model (request model, falling back to the response model). */
  model: string | null;
  spans: number;
  repricedSpans: number;
  costBeforeUsd: number;
  costAfterUsd: number;
  unpricedBefore: number;
  unpricedAfter: number;
  /** The price-table entries or overrides used after the re-price. */
  priceModelsAfter: string[];
}

export interface RepriceReport {
  from: string;
  to: string;
  spansExamined: number;
  /** Spans whose total cost or price entry changed. */
  spansRepriced: number;
  totalCostBeforeUsd: number;
  totalCostAfterUsd: number;
  unpricedBefore: number;
  unpricedAfter: number;
  /** Models with at least one re-priced span, largest cost change first. */
  models: RepriceModelChange[];
}

interface ModelTally extends Omit<RepriceModelChange, 'priceModelsAfter'> {
  priceModelsAfter: Set<string>;
}

/** Re-prices the stored LLM calls of one project's window with `book` and reports what changed. */
export async function repriceWindow(
  store: Store,
  book: PriceBook,
  window: ProjectWindow,
): Promise<RepriceReport> {
  const tallies = new Map<string | null, ModelTally>();
  await store.repriceSpans(window, (span) => {
    const after = book.costOf(span);
    tally(tallies, span, after);
    return costChanged(span.cost, after) || detailChanged(span.cost, after) ? after : null;
  });
  return buildReport(window, [...tallies.values()]);
}

function tally(tallies: Map<string | null, ModelTally>, span: RepriceSpan, after: SpanCost): void {
  const model = span.model ?? span.responseModel;
  let entry = tallies.get(model);
  if (entry === undefined) {
    entry = emptyTally(model);
    tallies.set(model, entry);
  }
  entry.spans += 1;
  if (costChanged(span.cost, after)) entry.repricedSpans += 1;
  entry.costBeforeUsd += span.cost.totalUsd ?? 0;
  entry.costAfterUsd += after.totalUsd ?? 0;
  if (span.cost.totalUsd === null) entry.unpricedBefore += 1;
  if (after.totalUsd === null) entry.unpricedAfter += 1;
  if (after.priceModel !== null) entry.priceModelsAfter.add(after.priceModel);
}

function emptyTally(model: string | null): ModelTally {
  return {
    model,
    spans: 0,
    repricedSpans: 0,
    costBeforeUsd: 0,
    costAfterUsd: 0,
    unpricedBefore: 0,
    unpricedAfter: 0,
    priceModelsAfter: new Set(),
  };
}

/** True when the total or the price entry differs; totals within 1e-12 USD count as equal. */
function costChanged(before: SpanCost, after: SpanCost): boolean {
  if (before.priceModel !== after.priceModel) return true;
  if (before.totalUsd === null || after.totalUsd === null)
    return before.totalUsd !== after.totalUsd;
  return Math.abs(before.totalUsd - after.totalUsd) > 1e-12;
}

/** True when the stored prices differ, as on spans stored before prices were recorded. */
function detailChanged(before: SpanCost, after: SpanCost): boolean {
  return (
    JSON.stringify(before.pricesUsdPerMTok ?? null) !==
    JSON.stringify(after.pricesUsdPerMTok ?? null)
  );
}

function buildReport(window: TimeWindow, tallies: ModelTally[]): RepriceReport {
  const report: RepriceReport = {
    from: new Date(window.fromUnixMs).toISOString(),
    to: new Date(window.toUnixMs).toISOString(),
    spansExamined: 0,
    spansRepriced: 0,
    totalCostBeforeUsd: 0,
    totalCostAfterUsd: 0,
    unpricedBefore: 0,
    unpricedAfter: 0,
    models: [],
  };
  for (const entry of tallies) {
    report.spansExamined += entry.spans;
    report.spansRepriced += entry.repricedSpans;
    report.totalCostBeforeUsd += entry.costBeforeUsd;
    report.totalCostAfterUsd += entry.costAfterUsd;
    report.unpricedBefore += entry.unpricedBefore;
    report.unpricedAfter += entry.unpricedAfter;
    if (entry.repricedSpans > 0)
      report.models.push({ ...entry, priceModelsAfter: [...entry.priceModelsAfter].sort() });
  }
  report.models.sort(
    (a, b) =>
      Math.abs(b.costAfterUsd - b.costBeforeUsd) - Math.abs(a.costAfterUsd - a.costBeforeUsd),
  );
  return report;
}
