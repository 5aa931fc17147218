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

/** Copies the parameters that are numbers, strings or string arrays into `target` under their attribute keys. */
export function copyRequestParams(
  params: Record<string, unknown>,
  keys: Readonly<Record<string, string>>,
  target: Attributes,
): void {
  for (const param in keys) {
    const value = params[param];
    if (typeof value === 'number' || typeof value === 'string') target[keys[param]!] = value;
    else if (Array.isArray(value) && value.every((entry) => typeof entry === 'string'))
      target[keys[param]!] = value;
  }
}
