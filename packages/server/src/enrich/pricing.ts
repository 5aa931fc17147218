import { PriceBook } from '../pricing/price-book.ts';
import { modelNameCandidates } from '../pricing/model-names.ts';
import type { CanonicalSpan } from '../semconv/canonical-span.ts';
import { PRICE_TABLE, type PriceEntry, type PricePeriod } from './price-table.ts';
import { periodInForce } from '../pricing/periods.ts';

export { appliedPrices, computeCostParts } from '../pricing/cost-parts.ts';
export type { CostParts } from '../pricing/cost-parts.ts';

/**
 * The price book that `priceSpan` uses. `startFoghorn` installs the one loaded
 * from its data directory. NOTE: this is process-wide state, so two Foghorn
 * instances in one process share the overrides of whichever started last;
 * passing the book through the ingest pipeline would remove that limit.
 */
let activeBook = new PriceBook();

/** Makes `book` the one `priceSpan` uses and returns a function that restores the previous one. */
export function installPriceBook(book: PriceBook): () => void {
  const previous = activeBook;
  activeBook = book;
  return () => {
    if (activeBook === book) activeBook = previous;
  };
}

export function activePriceBook(): PriceBook {
  return activeBook;
}

/** Fills `span.cost` for a model call with the active price book; unknown models keep a null cost. */
export function priceSpan(span: CanonicalSpan): void {
  activeBook.priceSpan(span);
}

const DEFAULT_INDEX = new Map<string, PriceEntry>();
for (const entry of PRICE_TABLE)
  if (!DEFAULT_INDEX.has(entry.model)) DEFAULT_INDEX.set(entry.model, entry);

/**
 * Resolves a model name to its home entry in the shipped table, ignoring the
 * span's provider and any override. Ingest prices spans with `PriceBook.resolve`;
 * this serves callers that know only a model name, such as metric-based summaries.
 */
export function resolvePriceEntry(model: string): PriceEntry | null {
  for (const candidate of modelNameCandidates(model).names) {
    const entry = DEFAULT_INDEX.get(candidate);
    if (entry) return entry;
  }
  return null;
}

/** Picks the period in force at `startTimeUnixNano`; a call before the first period gets the first. */
export function periodAt(entry: PriceEntry, startTimeUnixNano: bigint): PricePeriod | null {
  return periodInForce(entry.periods, startTimeUnixNano) ?? entry.periods[0] ?? null;
}
