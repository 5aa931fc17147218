import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import type * as Chdb from 'chdb';
import type { Session as ChdbSession } from 'chdb';
import { STATEMENT_SETTINGS, type ClickHouseDriver, type QueryParams, type Row } from './driver.ts';

// chdb loads a 560 MB native library, so it is required on first use instead of imported.
const require = createRequire(import.meta.url);

interface SharedSession {
  session: ChdbSession;
  users: number;
}

/** chdb allows one data directory per process, so drivers on the same path share one session. */
let shared: { path: string; entry: SharedSession } | null = null;

function acquireSession(path: string): ChdbSession {
  if (shared !== null && shared.path !== path) {
    throw new Error(
      `chdb is already open on ${shared.path} in this process; open every chdb store on that directory (requested ${path})`,
    );
  }
  if (shared === null) {
    mkdirSync(path, { recursive: true });
    const { Session } = loadChdb();
    shared = { path, entry: { session: new Session(path), users: 0 } };
  }
  shared.entry.users += 1;
  return shared.entry.session;
}

/**
 * Loads the chdb package, a development dependency: production installs that omit
 * development packages use a ClickHouse server instead.
 */
function loadChdb(): typeof Chdb {
  try {
    return require('chdb') as typeof Chdb;
  } catch (error) {
    throw new Error(
      `the chdb:// store needs the npm package chdb, which failed to load (${(error as Error).message}); install it with "npm install chdb@3.4.0" or use a clickhouse:// server`,
      { cause: error },
    );
  }
}

function releaseSession(): void {
  if (shared === null) return;
  shared.entry.users -= 1;
  if (shared.entry.users > 0) return;
  shared.entry.session.close();
  shared = null;
}

function withSettings(sql: string): string {
  const settings = Object.entries(STATEMENT_SETTINGS)
    .map(([name, value]) => `${name} = ${typeof value === 'string' ? `'${value}'` : value}`)
    .join(', ');
  return /^\s*(SELECT|WITH|ALTER|INSERT)\b/i.test(sql) && !/\bSETTINGS\b/i.test(sql)
    ? `${sql}\nSETTINGS ${settings}`
    : sql;
}

function parseJsonEachRow(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) {
    if (line.length > 0) rows.push(JSON.parse(line) as Row);
  }
  return rows;
}

/**
 * Runs ClickHouse in-process through chdb, on the data directory `path`. Statements run
 * one at a time, as the embedded engine shares one session.
 */
class ChdbDriver implements ClickHouseDriver {
  private closed = false;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: ChdbSession) {}

  async query(sql: string, params: QueryParams = {}): Promise<Row[]> {
    const result = await this.serial(() =>
      this.session.queryBindAsync(withSettings(sql), params, { format: 'JSONEachRow' }),
    );
    return parseJsonEachRow(result.text());
  }

  async command(sql: string, params: QueryParams = {}): Promise<void> {
    await this.serial(() => this.session.queryBindAsync(withSettings(sql), params, {}));
  }

  async insert(table: string, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((row) => JSON.stringify(row)).join('\n');
    await this.serial(() => this.session.insert({ table, values, format: 'JSONEachRow' }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail.catch(() => undefined);
    releaseSession();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the chdb driver is closed'));
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Opens an in-process ClickHouse on the data directory `path` (created when missing). */
export function openChdbDriver(path: string): ClickHouseDriver {
  return new ChdbDriver(acquireSession(path));
}
