import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { SerialQueue } from '../serial.ts';
import { inTransaction } from '../transaction.ts';

export type Row = Record<string, DuckDBValue>;
export type Param = string | number | bigint | boolean | null;

/** The statements of one maintenance task, run on the maintenance connection. */
export interface MaintenanceRun {
  /** Runs a statement and returns the rows it inserted, updated or deleted. */
  change(sql: string, params?: Param[]): Promise<number>;
  read(sql: string, params?: Param[]): Promise<Row[]>;
}

/**
 * A connection for retention and erasure, separate from the ingest and query
 * connections. Tasks run one at a time, each inside a transaction, except
 * CHECKPOINT, which DuckDB cannot run inside one.
 */
export class MaintenanceConnection {
  private readonly queue = new SerialQueue();

  /**
   * `exclusive` runs a task while no span load transaction is open: DuckDB rejects a
   * CHECKPOINT while another connection has a write transaction open. `lifted` runs a
   * transaction with the store's memory limit lifted, so its COMMITs do not fail at the limit.
   */
  constructor(
    private readonly connection: DuckDBConnection,
    private readonly exclusive: <T>(task: () => Promise<T>) => Promise<T> = (task) => task(),
    private readonly lifted: <T>(task: () => Promise<T>) => Promise<T> = (task) => task(),
  ) {}

  transaction<T>(work: (run: MaintenanceRun) => Promise<T>): Promise<T> {
    return this.queue.run(() =>
      this.lifted(() => inTransaction(this.connection, () => work(this.runFunctions()))),
    );
  }

  /** Writes the WAL into the database file; freed blocks become reusable. */
  checkpoint(): Promise<void> {
    return this.queue.run(() =>
      this.exclusive(async () => {
        await this.connection.run('CHECKPOINT');
      }),
    );
  }

  async close(): Promise<void> {
    await this.queue.idle();
    this.connection.closeSync();
  }

  private runFunctions(): MaintenanceRun {
    return {
      change: async (sql, params = []) =>
        (await this.connection.run(sql, params as DuckDBValue[])).rowsChanged,
      read: async (sql, params = []) => {
        const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
        return reader.getRowObjects() as Row[];
      },
    };
  }
}

/** True when the table exists in the main schema; the scores table exists only once alerting opened it. */
export async function tableExists(run: MaintenanceRun, table: string): Promise<boolean> {
  const rows = await run.read(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1",
    [table],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
