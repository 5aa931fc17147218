import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { STATEMENT_SETTINGS, type ClickHouseDriver, type QueryParams, type Row } from './driver.ts';

/** The server address and credentials of the HTTP driver. */
export interface HttpDriverOptions {
  /** Base URL of the ClickHouse HTTP interface, such as `http://127.0.0.1:8123`. */
  url: string;
  username: string;
  password: string;
  /** Database that unqualified names resolve to. */
  database: string;
  /** Time one request may take before the client aborts it, in milliseconds. Default 300000. */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

/** Talks to a ClickHouse server or cluster over HTTP through the official client. */
class HttpDriver implements ClickHouseDriver {
  constructor(private readonly client: ClickHouseClient) {}

  async query(sql: string, params: QueryParams = {}): Promise<Row[]> {
    const result = await this.client.query({
      query: sql,
      query_params: params,
      format: 'JSONEachRow',
    });
    return result.json<Row>();
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.client.command({ query: sql, query_params: params });
  }

  async insert(table: string, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({ table, values: [...rows], format: 'JSONEachRow' });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Opens an HTTP connection pool to ClickHouse; no request is sent until the first statement. */
export function openHttpDriver(options: HttpDriverOptions): ClickHouseDriver {
  const client = createClient({
    url: options.url,
    username: options.username,
    password: options.password,
    database: options.database,
    request_timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    application: 'foghorn',
    // Progress headers keep long mutations from looking idle to load balancers between node and server.
    clickhouse_settings: {
      ...STATEMENT_SETTINGS,
      send_progress_in_http_headers: 1,
      http_headers_progress_interval_ms: '10000',
    },
  });
  return new HttpDriver(client);
}
