import { ConfigError } from '../../errors.ts';
import { checkIdentifier } from './layout.ts';

/** A parsed `--store` value. */
export type StoreLocation =
  | { kind: 'duckdb' }
  | {
      kind: 'clickhouse';
      /** `http://host:port` or `https://host:port` of the ClickHouse HTTP interface. */
      url: string;
      username: string;
      password: string;
      database: string;
      /** `?cluster=NAME`: the tables are Replicated and Distributed on that cluster. */
      cluster: string | null;
    }
  | { kind: 'chdb'; path: string; database: string };

const DEFAULT_DATABASE = 'foghorn';

function databaseOf(pathname: string, raw: string): string {
  const name = decodeURIComponent(pathname.replace(/^\/+/, '')) || DEFAULT_DATABASE;
  return checkIdentifier(`the database in --store ${raw}`, name);
}

function clusterOf(url: URL, raw: string): string | null {
  const cluster = url.searchParams.get('cluster');
  return cluster === null
    ? null
    : checkIdentifier(`the cluster in --store ${redactStoreUrl(raw)}`, cluster);
}

/** Shows a store URL with its password replaced, for logs and messages. */
export function redactStoreUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/**
 * Parses `--store` / FOGHORN_STORE: `duckdb` (the default, the file in the data
 * directory), `clickhouse://user:pass@host:8123/db[?cluster=NAME]` (HTTP; `clickhouses://`
 * for HTTPS),
 * or `chdb:///absolute/dir?database=db` (ClickHouse in-process, for tests and benchmarks).
 */
export function parseStoreUrl(raw: string): StoreLocation {
  if (raw === '' || raw === 'duckdb') return { kind: 'duckdb' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `--store "${redactStoreUrl(raw)}" is not a URL; use duckdb, clickhouse://user:pass@host:8123/db or chdb:///dir`,
    );
  }
  if (url.protocol === 'clickhouse:' || url.protocol === 'clickhouses:') {
    const scheme = url.protocol === 'clickhouses:' ? 'https' : 'http';
    return {
      kind: 'clickhouse',
      url: `${scheme}://${url.hostname}:${url.port || '8123'}`,
      username: decodeURIComponent(url.username) || 'default',
      password: decodeURIComponent(url.password),
      database: databaseOf(url.pathname, redactStoreUrl(raw)),
      cluster: clusterOf(url, raw),
    };
  }
  if (url.protocol === 'chdb:') {
    const database = url.searchParams.get('database') ?? DEFAULT_DATABASE;
    return {
      kind: 'chdb',
      path: decodeURIComponent(url.pathname),
      database: checkIdentifier(`the database in --store ${raw}`, database),
    };
  }
  throw new ConfigError(
    `--store "${redactStoreUrl(raw)}" has the unknown scheme ${url.protocol}; use duckdb, clickhouse:// or chdb://`,
  );
}
