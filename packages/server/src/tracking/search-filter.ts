import { tokenize, type FilterToken } from './filter-tokens.ts';
import { invalidParameter } from './mlflow-error.ts';
import type { EntityType, SearchDialect } from './search-dialects.ts';

export type Comparator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

/** One `AND`-joined condition of a search filter. */
export type FilterClause =
  | { type: EntityType; key: string; comparator: '=' | '!=' | 'LIKE' | 'ILIKE'; value: string }
  | {
      type: EntityType;
      key: string;
      comparator: '<' | '<=' | '>' | '>=' | '=' | '!=';
      value: number;
    }
  | { type: EntityType; key: string; comparator: 'IN' | 'NOT IN'; value: string[] }
  | { type: EntityType; key: string; comparator: 'IS NULL' | 'IS NOT NULL'; value: null };

const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const LIST_COMPARATORS: readonly Comparator[] = ['IN', 'NOT IN'];
// NOTE: MLflow 3.x run search has no IS NULL; Foghorn accepts it for metrics, params and tags as
// an extension (missing value), so filters written for Foghorn may fail against MLflow.
const NULL_COMPARATORS: readonly Comparator[] = ['IS NULL', 'IS NOT NULL'];
const ENTITY_NAMES = "['metric', 'parameter', 'tag', 'attribute', 'dataset']";

export interface Identifier {
  type: EntityType;
  key: string;
}

function formatSet(values: Iterable<string>): string {
  return `{${[...new Set(values)].map((value) => `'${value}'`).join(', ')}}`;
}

/** Resolves `metrics.acc`, ``tags.`a.b` ``, `run_name` into an entity type and key. */
export function resolveIdentifier(
  token: FilterToken,
  dialect: SearchDialect,
  attributes: ReadonlyMap<string, string>,
): Identifier {
  if (token.kind !== 'identifier') {
    throw invalidParameter(
      `Invalid comparison clause. Expected 'Identifier' found '${token.text}'`,
    );
  }
  const [first, ...rest] = token.parts;
  const prefixed = rest.length > 0 && dialect.entityTypes.has(first!);
  if (rest.length > 0 && !prefixed) {
    const known = [...dialect.entityTypes.keys()].join("', '");
    const valid = dialect.entityTypes.has('metric') ? ENTITY_NAMES : `['${known}']`;
    throw invalidParameter(`Invalid entity type '${first}'. Valid values are ${valid}`);
  }
  const type = prefixed ? dialect.entityTypes.get(first!)! : 'attribute';
  const key = prefixed ? rest.join('.') : token.parts.join('.');
  if (type === 'attribute') {
    const canonical = attributes.get(key);
    if (canonical === undefined) {
      throw invalidParameter(
        `Invalid attribute key '${key}' specified. Valid keys are '${formatSet(attributes.keys())}'`,
      );
    }
    return { type, key: canonical };
  }
  if (type === 'dataset' && !dialect.datasetKeys.has(key)) {
    throw invalidParameter(
      `Invalid dataset key '${key}' specified. Valid keys are '${formatSet(dialect.datasetKeys)}'`,
    );
  }
  return { type, key };
}

function allowedComparators(identifier: Identifier, dialect: SearchDialect): readonly Comparator[] {
  const { type, key } = identifier;
  if (type === 'metric') return [...NUMERIC_COMPARATORS, ...NULL_COMPARATORS];
  if (type === 'param' || type === 'tag') return [...STRING_COMPARATORS, ...NULL_COMPARATORS];
  if (type === 'dataset') return [...STRING_COMPARATORS, ...LIST_COMPARATORS];
  if (dialect.numericAttributes.has(key)) return NUMERIC_COMPARATORS;
  return [...STRING_COMPARATORS, ...LIST_COMPARATORS];
}

class ClauseReader {
  private index = 0;

  constructor(
    private readonly tokens: FilterToken[],
    private readonly filter: string,
  ) {}

  done(): boolean {
    return this.index >= this.tokens.length;
  }

  next(): FilterToken {
    const token = this.tokens[this.index];
    if (token === undefined) {
      throw invalidParameter(`Invalid filter '${this.filter}': the last clause is incomplete.`);
    }
    this.index += 1;
    return token;
  }

  peekKeyword(): string | null {
    const token = this.tokens[this.index];
    return token?.kind === 'keyword' ? token.upper : null;
  }

  readComparator(): Comparator {
    const token = this.next();
    if (token.kind === 'operator') return token.text as Comparator;
    if (token.kind === 'keyword') {
      if (token.upper === 'NOT' && this.peekKeyword() === 'IN') {
        this.index += 1;
        return 'NOT IN';
      }
      if (token.upper === 'IS') {
        const negated = this.peekKeyword() === 'NOT';
        if (negated) this.index += 1;
        if (this.next().text.toUpperCase() !== 'NULL') {
          throw invalidParameter(`Invalid filter '${this.filter}': expected NULL after IS.`);
        }
        return negated ? 'IS NOT NULL' : 'IS NULL';
      }
      return token.upper as Comparator;
    }
    throw invalidParameter(`Invalid comparison clause. Expected comparison found '${token.text}'`);
  }

  readList(): string[] {
    const values: string[] = [];
    for (;;) {
      const token = this.next();
      const quoted = token.kind === 'identifier' && /^"/.test(token.text);
      if (token.kind !== 'string' && !quoted) {
        throw invalidParameter(
          'While parsing a list in the query, expected a non-empty list of string values, ' +
            'but got ill-formed list.',
        );
      }
      values.push(token.kind === 'string' ? token.value : (token as { parts: string[] }).parts[0]!);
      const separator = this.next();
      if (separator.text === ')') return values;
      if (separator.text !== ',') {
        throw invalidParameter(
          `While parsing a list in the query, expected string value, punctuation, or whitespace, but got '${separator.text}'`,
        );
      }
    }
  }
}

function readStringValue(token: FilterToken, identifier: Identifier): string {
  if (token.kind === 'string') return token.value;
  if (token.kind === 'identifier' && token.text.startsWith('"') && token.parts.length === 1) {
    return token.parts[0]!;
  }
  const what = identifier.type === 'attribute' ? 'attributes' : identifier.type;
  throw invalidParameter(
    `Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${token.text}`,
  );
}

function readNumericValue(token: FilterToken, identifier: Identifier): number {
  if (token.kind === 'number') return token.value;
  const what = identifier.type === 'metric' ? 'metric' : `numeric attribute: ${identifier.key}`;
  throw invalidParameter(`Expected numeric value type for ${what}. Found ${token.text}`);
}

function readClause(reader: ClauseReader, dialect: SearchDialect): FilterClause {
  const identifier = resolveIdentifier(reader.next(), dialect, dialect.filterAttributes);
  const comparator = reader.readComparator();
  const allowed = allowedComparators(identifier, dialect);
  if (!allowed.includes(comparator)) {
    throw invalidParameter(`Invalid comparator '${comparator}' not one of '${formatSet(allowed)}'`);
  }
  const { type, key } = identifier;
  if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
    return { type, key, comparator, value: null };
  }
  if (comparator === 'IN' || comparator === 'NOT IN') {
    if (type === 'attribute' && !dialect.listAttributes.has(key)) {
      throw invalidParameter(
        `Only the ${formatSet(dialect.listAttributes)} attributes support comparison with a list of quoted string values.`,
      );
    }
    if (reader.next().text !== '(') {
      throw invalidParameter(`Expected a list of quoted strings after ${comparator} for '${key}'.`);
    }
    const values = reader.readList();
    // Run IDs are lowercase hex, and MLflow drops listed IDs with capitals instead of matching them.
    const kept =
      key === 'run_id' ? values.filter((value) => value === value.toLowerCase()) : values;
    return { type, key, comparator, value: kept };
  }
  const numeric = type === 'metric' || (type === 'attribute' && dialect.numericAttributes.has(key));
  if (numeric) {
    const value = readNumericValue(reader.next(), identifier);
    return { type, key, comparator: comparator as '=', value };
  }
  const value = readStringValue(reader.next(), identifier);
  return { type, key, comparator: comparator as '=', value };
}

/**
 * Parses an MLflow search filter: comparisons joined by `AND`. Throws
 * INVALID_PARAMETER_VALUE with MLflow's wording for anything else.
 */
export function parseSearchFilter(
  filter: string | undefined,
  dialect: SearchDialect,
): FilterClause[] {
  if (filter === undefined || filter.trim() === '') return [];
  const reader = new ClauseReader(tokenize(filter), filter);
  const clauses: FilterClause[] = [];
  while (!reader.done()) {
    clauses.push(readClause(reader, dialect));
    if (reader.done()) break;
    const joiner = reader.next();
    if (joiner.kind !== 'keyword' || joiner.upper !== 'AND') {
      throw invalidParameter(`Invalid clause(s) in filter string: '${joiner.text}'`);
    }
  }
  return clauses;
}
