import { ConfigError } from '../../errors.ts';
/**
 * The placement of the tables. On one server every table is a plain MergeTree-family table. With
 * a cluster, each table is a `<name>_local` Replicated table on every node plus a
 * Distributed table under the plain name: reads and inserts use the plain name, and
 * mutations (ALTER UPDATE, DELETE) run on the local tables ON CLUSTER.
 */
export interface ClickHouseLayout {
  database: string;
  /** Cluster name from the server's `remote_servers`; null for one server. */
  cluster: string | null;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws unless `value` can be used unquoted as a database, table or cluster name. */
export function checkIdentifier(field: string, value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new ConfigError(
      `${field} "${value}" is not a valid ClickHouse identifier; use letters, digits and underscores, starting with a letter`,
    );
  }
  return value;
}

/** The table reads and inserts use. */
export function tableName(layout: ClickHouseLayout, base: string): string {
  return `${layout.database}.${base}`;
}

/** The table that stores the rows on each node. */
export function localTableName(layout: ClickHouseLayout, base: string): string {
  return layout.cluster === null
    ? `${layout.database}.${base}`
    : `${layout.database}.${base}_local`;
}

/** ` ON CLUSTER name`, or nothing on one server. */
export function onCluster(layout: ClickHouseLayout): string {
  return layout.cluster === null ? '' : ` ON CLUSTER ${layout.cluster}`;
}

/** The target of a mutation: the local table, on every node of the cluster. */
export function mutationTarget(layout: ClickHouseLayout, base: string): string {
  return `${localTableName(layout, base)}${onCluster(layout)}`;
}
