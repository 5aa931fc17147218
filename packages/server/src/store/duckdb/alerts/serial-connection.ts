import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { fillAppender } from '../appender-values.ts';

export type Row = Record<string, DuckDBValue>;
export type Param = string | number | bigint | boolean | null;

/** Runs statements on one connection one at a time, so transactions never interleave. */
export class SerialConnection {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly connection: DuckDBConnection) {}

  /** Runs `work` after every earlier piece of work has finished. */
  exclusive<T>(work: (run: RunFunctions) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => work(this.runFunctions()));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Runs `work` inside BEGIN and COMMIT, rolling back when it throws. */
  transaction(work: (run: RunFunctions) => Promise<void>): Promise<void> {
    return this.exclusive(async (run) => {
      await run.exec('BEGIN TRANSACTION', []);
      try {
        await work(run);
        await run.exec('COMMIT', []);
      } catch (error) {
        await run.exec('ROLLBACK', []);
        throw error;
      }
    });
  }

  /** Appends rows to a table through the DuckDB appender, after earlier work finished. */
  append(table: string, fill: (appender: DuckDBAppender) => void): Promise<void> {
    return this.exclusive(() => fillAppender(this.connection, table, fill));
  }

  close(): void {
    this.connection.closeSync();
  }

  private runFunctions(): RunFunctions {
    return {
      exec: async (sql, params) => {
        await this.connection.run(sql, params as DuckDBValue[]);
      },
      read: async (sql, params) => {
        const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
        return reader.getRowObjects() as Row[];
      },
    };
  }
}

export interface RunFunctions {
  exec(sql: string, params: Param[]): Promise<void>;
  read(sql: string, params: Param[]): Promise<Row[]>;
}

export function toNumber(value: DuckDBValue | undefined): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  return 0;
}

export function toNumberOrNull(value: DuckDBValue | undefined): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

export function toStringOrNull(value: DuckDBValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}
