import type { IncomingHttpHeaders } from 'node:http';

/** Credentials found on a request, before any of them is checked. */
export interface PresentedCredentials {
  bearer: string | null;
  basic: { username: string; password: string } | null;
  sessionId: string | null;
  /** Value of a dedicated ingest-key header such as `x-foghorn-key`. */
  headerKey: string | null;
}

export const SESSION_COOKIE = 'foghorn_session';

function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function parseBasic(encoded: string): { username: string; password: string } | null {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Reads one cookie from a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** Reads the Authorization header, the session cookie and the ingest-key headers. */
export function readCredentials(
  headers: IncomingHttpHeaders,
  ingestKeyHeaders: readonly string[],
): PresentedCredentials {
  const authorization = headerValue(headers, 'authorization') ?? '';
  const [scheme = '', ...rest] = authorization.split(' ');
  const value = rest.join(' ').trim();
  const lowerScheme = scheme.toLowerCase();
  let headerKey: string | null = null;
  for (const name of ingestKeyHeaders) headerKey ??= headerValue(headers, name);
  return {
    bearer: lowerScheme === 'bearer' && value !== '' ? value : null,
    basic: lowerScheme === 'basic' ? parseBasic(value) : null,
    sessionId: cookieValue(headers.cookie, SESSION_COOKIE),
    headerKey,
  };
}

/** Reads credentials from gRPC metadata, whose keys are lower case like HTTP/2 headers. */
export function metadataHeaders(map: Record<string, unknown>): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'string') headers[key.toLowerCase()] = value;
  }
  return headers;
}
