import { quoteKey } from './format-tracking.ts';

/** A sortable column of the runs table. */
export type RunColumn =
  | { kind: 'attribute'; key: 'run_name' | 'status' | 'start_time' }
  | { kind: 'param' | 'metric'; key: string };

/** Builds the MLflow order-by clause for a column, such as "metrics.`val loss` DESC". */
export function orderByFor(column: RunColumn, ascending: boolean): string {
  const prefix = column.kind === 'attribute' ? 'attributes' : `${column.kind}s`;
  return `${prefix}.${quoteKey(column.key)} ${ascending ? 'ASC' : 'DESC'}`;
}

/** Returns the column an order-by clause sorts and its direction, or null. */
export function parseOrderBy(orderBy: string | null): { field: string; ascending: boolean } | null {
  if (orderBy === null) return null;
  const match = /^(.*?)\s+(ASC|DESC)$/i.exec(orderBy.trim());
  if (match === null) return { field: orderBy.trim(), ascending: true };
  return { field: match[1]!, ascending: match[2]!.toUpperCase() === 'ASC' };
}

/** The next order when a column header is clicked: descending first, then ascending. */
export function nextOrderBy(current: string | null, column: RunColumn): string {
  const field = orderByFor(column, true).replace(/ ASC$/, '');
  const parsed = parseOrderBy(current);
  const descendingNow = parsed !== null && parsed.field === field && !parsed.ascending;
  return orderByFor(column, descendingNow);
}

/** The arrow shown in a header: ▼ descending, ▲ ascending, nothing when unsorted. */
export function sortMark(current: string | null, column: RunColumn): string {
  const parsed = parseOrderBy(current);
  const field = orderByFor(column, true).replace(/ ASC$/, '');
  if (parsed === null || parsed.field !== field) return '';
  return parsed.ascending ? ' ▲' : ' ▼';
}
