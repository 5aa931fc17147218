/** Values bound to `{name:Type}` placeholders; 64-bit integers travel as decimal strings. */
export type QueryParams = Record<string, string | number | boolean | null | readonly string[]>;

/** One result row as ClickHouse writes it in JSONEachRow. */
export type Row = Record<string, unknown>;

/**
 * The transport between the SQL layer and ClickHouse. The HTTP driver talks to a server
 * through `@clickhouse/client`; the chdb driver runs the same SQL in-process. Code above this interface does not depend on which
 * one it has.
 */
export interface ClickHouseDriver {
  /** Runs a SELECT and returns its rows. */
  query(sql: string, params?: QueryParams): Promise<Row[]>;
  /** Runs a statement that returns no rows (DDL, INSERT ... SELECT, ALTER, DELETE). */
  command(sql: string, params?: QueryParams): Promise<void>;
  /** Inserts rows as JSONEachRow; keys are column names. */
  insert(table: string, rows: readonly Row[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Settings sent with every statement. Mutations finish on every replica before the call
 * returns. 64-bit integers come back as JSON numbers, and nanosecond times are selected as
 * strings, so no digit is lost. Subqueries on Distributed tables run on each shard, which is
 * correct because spans are sharded by project and trace id.
 */
export const STATEMENT_SETTINGS = {
  mutations_sync: '2',
  output_format_json_quote_64bit_integers: 0,
  distributed_product_mode: 'local',
} as const;
