import type { Attributes } from '@opentelemetry/api';

const serverAttributesCache = new Map<string, Attributes>();

/** `server.address` and `server.port` of a client's base URL; empty for an invalid URL. */
export function serverAttributes(baseUrl: unknown): Attributes {
  if (typeof baseUrl !== 'string') return {};
  let attributes = serverAttributesCache.get(baseUrl);
  if (attributes === undefined) {
    attributes = parseServer(baseUrl);
    if (serverAttributesCache.size > 64) serverAttributesCache.clear();
    serverAttributesCache.set(baseUrl, attributes);
  }
  return attributes;
}

function parseServer(baseUrl: string): Attributes {
  if (!URL.canParse(baseUrl)) return {};
  const url = new URL(baseUrl);
  const defaultPort = url.protocol === 'https:' ? 443 : 80;
  return {
    'server.address': url.hostname,
    'server.port': url.port === '' ? defaultPort : Number(url.port),
  };
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
