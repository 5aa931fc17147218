import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { SerialQueue } from '../duckdb/serial.ts';

/**
 * Deletes scores that live outside the span store. A ClickHouse span store calls it from
 * retention and erasure, so expired or erased traces lose their scores too.
 */
export interface ScoreCleanup {
  /** Deletes scores of every project timestamped before the cutoff; returns the rows deleted. */
  deleteBefore(cutoffUnixMs: number): Promise<number>;
  /** Deletes the scores of these traces in one project; returns the rows deleted. */
  deleteTraces(projectId: string, traceIds: readonly string[]): Promise<number>;
  close(): Promise<void>;
}

const TRACES_PER_STATEMENT = 1_000;

class DuckDbScoreCleanup implements ScoreCleanup {
  private readonly queue = new SerialQueue();

  constructor(private readonly connection: DuckDBConnection) {}

  deleteBefore(cutoffUnixMs: number): Promise<number> {
    return this.change('DELETE FROM scores WHERE timestamp_ms < $1', [cutoffUnixMs]);
  }

  async deleteTraces(projectId: string, traceIds: readonly string[]): Promise<number> {
    let deleted = 0;
    for (let start = 0; start < traceIds.length; start += TRACES_PER_STATEMENT) {
      const chunk = traceIds.slice(start, start + TRACES_PER_STATEMENT);
      const placeholders = chunk.map((_, index) => `$${index + 2}`).join(', ');
      deleted += await this.change(
        `DELETE FROM scores WHERE project_id = $1 AND trace_id IN (${placeholders})`,
        [projectId, ...chunk],
      );
    }
    return deleted;
  }

  async close(): Promise<void> {
    await this.queue.idle();
    this.connection.closeSync();
  }

  /** Runs a DELETE; returns 0 without running it while the scores table does not exist yet. */
  private change(sql: string, params: (string | number)[]): Promise<number> {
    return this.queue.run(async () => {
      const tables = await this.connection.runAndReadAll(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'scores'",
      );
      if (Number(tables.getRowObjects()[0]?.n ?? 0) === 0) return 0;
      return (await this.connection.run(sql, params)).rowsChanged;
    });
  }
}

/** Deletes scores from the `scores` table of a DuckDB instance, on a connection of its own. */
export async function openDuckDbScoreCleanup(instance: DuckDBInstance): Promise<ScoreCleanup> {
  return new DuckDbScoreCleanup(await instance.connect());
}
