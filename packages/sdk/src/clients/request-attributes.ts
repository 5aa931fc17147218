import type { Attributes } from '@opentelemetry/api';

interface ServerAddress {
  address: string;
  port: number;
}

/** Parsed base URLs; null for a URL that does not parse. */
const serverAddressCache = new Map<string, ServerAddress | null>();

/**
 * Creates the attributes of a request with `server.address` and `server.port`
 * of the client's base URL, or with none for an invalid URL. The object starts
 * empty and gets its keys by assignment. On Node 20, starting and ending a span
 * took about three times as long (about 6 µs against 2 µs in a loop) when its
 * attributes began as a spread copy of a cached object.
 */
export function createRequestAttributes(baseUrl: unknown): Attributes {
  const attributes: Attributes = {};
  const server = typeof baseUrl === 'string' ? serverAddress(baseUrl) : null;
  if (server !== null) {
    attributes['server.address'] = server.address;
    attributes['server.port'] = server.port;
  }
  return attributes;
}

function serverAddress(baseUrl: string): ServerAddress | null {
  let server = serverAddressCache.get(baseUrl);
  if (server === undefined) {
    server = parseServer(baseUrl);
    if (serverAddressCache.size > 64) serverAddressCache.clear();
    serverAddressCache.set(baseUrl, server);
  }
  return server;
}

function parseServer(baseUrl: string): ServerAddress | null {
  if (!URL.canParse(baseUrl)) return null;
  const url = new URL(baseUrl);
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  return { address: url.hostname, port: url.port === '' ? defaultPort : Number(url.port) };
}

const paramMaps = new WeakMap<Readonly<Record<string, string>>, Map<string, string>>();

function asMap(keys: Readonly<Record<string, string>>): Map<string, string> {
  let map = paramMaps.get(keys);
  if (map === undefined) {
    map = new Map(Object.entries(keys));
    paramMaps.set(keys, map);
  }
  return map;
}

/**
 * Copies the parameters that are numbers, strings or string arrays into
 * `target` under their attribute keys. It visits the few parameters a request
 * has rather than every known key. When two parameters share an attribute key,
 * as `max_tokens` and `max_completion_tokens` do, the one later in `keys` wins.
 */
export function copyRequestParams(
  params: Record<string, unknown>,
  keys: Readonly<Record<string, string>>,
  target: Attributes,
): void {
  const attributeKeys = asMap(keys);
  let shared: string[] | null = null;
  for (const param of Object.keys(params)) {
    const key = attributeKeys.get(param);
    if (key === undefined) continue;
    const value = params[param];
    if (typeof value !== 'number' && typeof value !== 'string' && !isStringArray(value)) continue;
    if (key in target) (shared ??= []).push(key);
    target[key] = value as Attributes[string];
  }
  if (shared !== null) copyInKeyOrder(params, keys, target, shared);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

/** Sets each attribute key in `shared` again from its parameters in the order of `keys`, so the last one wins. */
function copyInKeyOrder(
  params: Record<string, unknown>,
  keys: Readonly<Record<string, string>>,
  target: Attributes,
  shared: string[],
): void {
  for (const param in keys) {
    const key = keys[param]!;
    const value = params[param];
    if (!shared.includes(key) || !Object.hasOwn(params, param)) continue;
    if (typeof value === 'number' || typeof value === 'string' || isStringArray(value))
      target[key] = value;
  }
}
