import type { FilterClause } from '../../../tracking/search-filter.ts';
import type { OrderByClause } from '../../../tracking/order-by.ts';
import { doubleLiteral, type SqlParam } from './tracking-db.ts';

/** Positional parameters collected while SQL text is built. */
export class ParamList {
  readonly values: SqlParam[] = [];

  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Table layout of one search API, for compiling its clauses; `alias` names the searched row. */
export interface FilterTarget {
  alias: string;
  idColumn: string;
  /** SQL expression for an attribute key. */
  attributes: Readonly<Record<string, string>>;
  tagTable?: string;
  paramTable?: string;
  metricTable?: string;
  datasetTable?: string;
  /** Extra columns joining a child table row to the searched row (model versions use two). */
  childJoin?: (child: string) => string;
  /** Treats a missing tag as matching `!=` (the registry's prompt-tag rule). */
  missingTagMatchesNotEqual?: boolean;
}

function joinCondition(target: FilterTarget, child: string): string {
  return target.childJoin
    ? target.childJoin(child)
    : `${child}.${target.idColumn} = ${target.alias}.${target.idColumn}`;
}

function compareSql(expression: string, clause: FilterClause, params: ParamList): string {
  const { comparator, value } = clause;
  if (comparator === 'IS NULL') return `${expression} IS NULL`;
  if (comparator === 'IS NOT NULL') return `${expression} IS NOT NULL`;
  if (comparator === 'IN' || comparator === 'NOT IN') {
    const list = value as string[];
    if (list.length === 0) return comparator === 'IN' ? 'FALSE' : 'TRUE';
    return `${expression} ${comparator} (${list.map((item) => params.add(item)).join(', ')})`;
  }
  const operator = comparator === '!=' ? '<>' : comparator;
  const right = typeof value === 'number' ? doubleLiteral(value) : params.add(value as string);
  return `${expression} ${operator} ${right}`;
}

/** NaN metrics follow IEEE rules: they fail every comparison except `!=`. */
function metricAware(condition: string, clause: FilterClause, column: string): string {
  if (clause.type !== 'metric') return condition;
  if (clause.comparator === '!=') return `(isnan(${column}) OR ${condition})`;
  return `(NOT isnan(${column}) AND ${condition})`;
}

function childExists(
  table: string,
  target: FilterTarget,
  clause: FilterClause,
  params: ParamList,
): string {
  const child = 'c';
  const where = `${joinCondition(target, child)} AND ${child}.key = ${params.add(clause.key)}`;
  if (clause.comparator === 'IS NULL')
    return `NOT EXISTS (SELECT 1 FROM ${table} ${child} WHERE ${where})`;
  if (clause.comparator === 'IS NOT NULL')
    return `EXISTS (SELECT 1 FROM ${table} ${child} WHERE ${where})`;
  const condition = metricAware(
    compareSql(`${child}.value`, clause, params),
    clause,
    `${child}.value`,
  );
  const exists = `EXISTS (SELECT 1 FROM ${table} ${child} WHERE ${where} AND ${condition})`;
  if (clause.type === 'tag' && clause.comparator === '!=' && target.missingTagMatchesNotEqual) {
    return `(${exists} OR NOT EXISTS (SELECT 1 FROM ${table} ${child} WHERE ${where}))`;
  }
  return exists;
}

function datasetSql(target: FilterTarget, clause: FilterClause, params: ParamList): string {
  const column = `d.${clause.key}`;
  const join = joinCondition(target, 'd');
  return `EXISTS (SELECT 1 FROM ${target.datasetTable} d WHERE ${join} AND ${compareSql(column, clause, params)})`;
}

function clauseSql(clause: FilterClause, target: FilterTarget, params: ParamList): string {
  switch (clause.type) {
    case 'metric':
      return childExists(target.metricTable!, target, clause, params);
    case 'param':
      return childExists(target.paramTable!, target, clause, params);
    case 'tag':
      return childExists(target.tagTable!, target, clause, params);
    case 'dataset':
      return datasetSql(target, clause, params);
    case 'attribute':
      return compareSql(target.attributes[clause.key]!, clause, params);
  }
}

/** Compiles AND-joined filter clauses into one SQL condition ("TRUE" when empty). */
export function compileFilter(
  clauses: readonly FilterClause[],
  target: FilterTarget,
  params: ParamList,
): string {
  if (clauses.length === 0) return 'TRUE';
  return clauses.map((clause) => `(${clauseSql(clause, target, params)})`).join(' AND ');
}

export interface CompiledOrder {
  joins: string[];
  orderBy: string[];
}

function childTable(target: FilterTarget, type: OrderByClause['type']): string {
  if (type === 'metric') return target.metricTable!;
  if (type === 'param') return target.paramTable!;
  return target.tagTable!;
}

/**
 * Compiles order-by clauses. Rows without the value sort last in both
 * directions, and for metrics NaN sorts after numbers but before missing values.
 */
export function compileOrderBy(
  clauses: readonly OrderByClause[],
  target: FilterTarget,
  params: ParamList,
): CompiledOrder {
  const joins: string[] = [];
  const orderBy: string[] = [];
  clauses.forEach((clause, index) => {
    const direction = clause.ascending ? 'ASC' : 'DESC';
    if (clause.type === 'attribute') {
      const column = target.attributes[clause.key]!;
      orderBy.push(`(${column} IS NULL)`, `${column} ${direction}`);
      return;
    }
    const alias = `o${index}`;
    const table = childTable(target, clause.type);
    // Filtering the child table by key before the join lets DuckDB build the
    // hash table from one key's rows instead of every key's.
    joins.push(
      `LEFT JOIN (SELECT * FROM ${table} WHERE key = ${params.add(clause.key)}) ${alias} ON ${joinCondition(target, alias)}`,
    );
    const value = `${alias}.value`;
    const rank =
      clause.type === 'metric'
        ? `CASE WHEN ${value} IS NULL THEN 2 WHEN isnan(${value}) THEN 1 ELSE 0 END`
        : `(${value} IS NULL)`;
    orderBy.push(rank, `${value} ${direction}`);
  });
  return { joins, orderBy };
}
