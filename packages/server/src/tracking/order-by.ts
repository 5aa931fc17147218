import { tokenize } from './filter-tokens.ts';
import { invalidParameter } from './mlflow-error.ts';
import type { SearchDialect } from './search-dialects.ts';
import { resolveIdentifier, type Identifier } from './search-filter.ts';

export interface OrderByClause extends Identifier {
  ascending: boolean;
}

/** Parses one `order_by` entry such as ``metrics.`val loss` DESC`` (ascending by default). */
export function parseOrderBy(entry: string, dialect: SearchDialect): OrderByClause {
  const unparsable = (): Error =>
    invalidParameter(`Invalid order_by clause '${entry}'. Could not be parsed.`);
  const tokens = tokenize(entry);
  const [first, second, ...rest] = tokens;
  if (first === undefined || rest.length > 0) throw unparsable();
  if (first.kind !== 'identifier' && !(first.kind === 'keyword' && first.upper === 'TIMESTAMP')) {
    throw unparsable();
  }
  let ascending = true;
  if (second !== undefined) {
    const direction = second.text.toUpperCase();
    if (direction !== 'ASC' && direction !== 'DESC') {
      throw invalidParameter(`Invalid ordering key in order_by clause '${entry}'.`);
    }
    ascending = direction === 'ASC';
  }
  const identifier = resolveIdentifier(first, dialect, dialect.orderAttributes);
  const runLike = dialect.entityTypes.has('metric');
  if (identifier.type === 'dataset' || (!runLike && identifier.type !== 'attribute')) {
    throw invalidParameter(`Invalid order_by entity: ${identifier.type}`);
  }
  return { ...identifier, ascending };
}

/** Parses every `order_by` entry of a search request. */
export function parseOrderByList(
  entries: readonly string[] | undefined,
  dialect: SearchDialect,
): OrderByClause[] {
  return (entries ?? []).map((entry) => parseOrderBy(entry, dialect));
}
