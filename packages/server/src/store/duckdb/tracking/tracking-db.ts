import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export type Row = Record<string, unknown>;
export type SqlParam = DuckDBValue;

/** Runs SQL on one connection: `run` for statements, `all` for rows. */
export interface SqlRunner {
  run(sql: string, params?: SqlParam[]): Promise<void>;
  all(sql: string, params?: SqlParam[]): Promise<Row[]>;
  connection: DuckDBConnection;
}

function runnerFor(connection: DuckDBConnection): SqlRunner {
  return {
    connection,
    run: async (sql, params = []) => {
      await connection.run(sql, params);
    },
    all: async (sql, params = []) => {
      const reader = await connection.runAndReadAll(sql, params);
      return rowsOfColumns(reader.columnNames(), reader.getColumnsJS());
    },
  };
}

/**
 * Builds row objects from column arrays. In a profile of a 1,000-run search
 * page (@duckdb/node-api 1.5.6-r.1, 2 shared cores) this took less time than
 * `getRowObjectsJS`; the gain is an estimate from noisy timings.
 */
function rowsOfColumns(names: readonly string[], columns: readonly unknown[][]): Row[] {
  const rowCount = columns[0]?.length ?? 0;
  const rows: Row[] = new Array<Row>(rowCount);
  for (let index = 0; index < rowCount; index += 1) {
    const row: Row = {};
    for (let column = 0; column < names.length; column += 1)
      row[names[column]!] = columns[column]![index];
    rows[index] = row;
  }
  return rows;
}

/**
 * Serializes writes on one connection, each in its own transaction, and reads
 * committed data on a second connection. DuckDB aborts concurrent transactions
 * that touch the same rows, so one writer at a time avoids those conflicts.
 */
export class TrackingDb {
  readonly reader: SqlRunner;
  private readonly writer: SqlRunner;
  private queue: Promise<unknown> = Promise.resolve();
  private readQueue: Promise<unknown> = Promise.resolve();

  constructor(writeConnection: DuckDBConnection, readConnection: DuckDBConnection) {
    this.writer = runnerFor(writeConnection);
    this.reader = runnerFor(readConnection);
  }

  /** Reads committed rows; reads run one at a time because a connection runs one query at a time. */
  all(sql: string, params: SqlParam[] = []): Promise<Row[]> {
    const result = this.readQueue.then(() => this.reader.all(sql, params));
    this.readQueue = result.catch(() => undefined);
    return result;
  }

  /** Runs `work` in a transaction after the writes queued before it; rolls back when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      await this.writer.run('BEGIN TRANSACTION');
      try {
        const value = await work(this.writer);
        await this.writer.run('COMMIT');
        return value;
      } catch (error) {
        await this.writer.run('ROLLBACK');
        throw error;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Waits for queued writes, then closes both connections. */
  async close(): Promise<void> {
    await this.queue;
    await this.readQueue;
    this.reader.connection.closeSync();
    this.writer.connection.closeSync();
  }
}

export function num(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value ?? 0);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/**
 * Renders a double as a SQL literal. It goes through a string because a bare
 * literal such as 0.9333333333333333 is read as a DECIMAL, whose conversion to
 * DOUBLE can change the last bit, and binding a JS integer above 2^63 as
 * BIGINT fails.
 */
export function doubleLiteral(value: number): string {
  if (Number.isNaN(value)) return "'nan'::DOUBLE";
  if (value === Infinity) return "'inf'::DOUBLE";
  if (value === -Infinity) return "'-inf'::DOUBLE";
  return `'${String(value)}'::DOUBLE`;
}

/** Renders a list of already validated identifiers as a SQL `IN` list of string literals. */
export function stringList(values: readonly string[]): string {
  if (values.length === 0) return '(NULL)';
  return `(${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')})`;
}
