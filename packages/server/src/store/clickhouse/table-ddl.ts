import { localTableName, onCluster, tableName, type ClickHouseLayout } from './layout.ts';

/** One table: its columns, MergeTree-family engine and the clauses after ENGINE. */
export interface TableSpec {
  base: string;
  columns: string;
  /** `MergeTree`, `ReplacingMergeTree`, `AggregatingMergeTree` ... without arguments. */
  engine: string;
  /** Engine arguments, such as the version column of a ReplacingMergeTree. */
  engineArgs?: string;
  /** ORDER BY, PARTITION BY, TTL and SETTINGS clauses. */
  clauses: string;
  /** Sharding expression of the Distributed table; rows with the same value share a shard. */
  shardKey: string;
}

function engineSql(layout: ClickHouseLayout, spec: TableSpec): string {
  const args = spec.engineArgs ?? '';
  if (layout.cluster === null) return `${spec.engine}(${args})`;
  const path = `'/clickhouse/tables/{shard}/${layout.database}/${spec.base}_local', '{replica}'`;
  return `Replicated${spec.engine}(${path}${args === '' ? '' : `, ${args}`})`;
}

/** CREATE statements of one table: the table itself, or the local table and its Distributed table. */
export function createTableSql(layout: ClickHouseLayout, spec: TableSpec): string[] {
  const local = `CREATE TABLE IF NOT EXISTS ${localTableName(layout, spec.base)}${onCluster(layout)} (${spec.columns})
ENGINE = ${engineSql(layout, spec)}
${spec.clauses}`;
  if (layout.cluster === null) return [local];
  const distributed = `CREATE TABLE IF NOT EXISTS ${tableName(layout, spec.base)}${onCluster(layout)}
AS ${localTableName(layout, spec.base)}
ENGINE = Distributed(${layout.cluster}, ${layout.database}, ${spec.base}_local, ${spec.shardKey})`;
  return [local, distributed];
}
