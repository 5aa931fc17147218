import { ConfigError } from '../errors.ts';
import type { RetryPolicy } from './http-delivery.ts';

/** Defaults of the OTLP forwarder and Prometheus remote write, in one frozen object. */
export const FORWARD_DEFAULTS = Object.freeze({
  /** Requests per target waiting to be sent; one request is one received OTLP request. */
  maxQueuedRequests: 512,
  /** Time `stop()` gives the queued requests before they are dropped. */
  shutdownFlushMs: 5_000,
  remoteWriteIntervalMs: 15_000,
  retry: Object.freeze({
    requestTimeoutMs: 10_000,
    initialBackoffMs: 500,
    maxBackoffMs: 30_000,
    maxAttempts: 8,
  } satisfies RetryPolicy),
});

/** Replaces the user info and the query of a URL, which may hold credentials, with `***`. */
export function maskUrl(url: string): string {
  return url.replace(/\/\/[^/?#]*@/, '//***@').replace(/\?.*$/, '?***');
}

/** Keeps the names of `name=value` header pairs and replaces every value with `***`. */
export function maskHeaderList(text: string): string {
  return text
    .split(',')
    .map((part) => (part.includes('=') ? `${part.slice(0, part.indexOf('=')).trim()}=***` : '***'))
    .join(',');
}

/**
 * Splits URL lists given as a comma list, a repeated option (joined with commas)
 * or both, and checks that each is an http or https URL. `source` names the
 * option or variable in the error.
 */
export function parseUrlList(text: string | null, source: string): string[] {
  if (text === null) return [];
  const urls = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(
        `${source}: "${maskUrl(url)}" is not a URL; use a form such as http://collector:4318`,
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new ConfigError(
        `${source}: "${maskUrl(url)}" must use http or https, got ${parsed.protocol}`,
      );
  }
  return [...new Set(urls)];
}

/**
 * Parses `name=value` pairs separated by commas, the form of
 * OTEL_EXPORTER_OTLP_HEADERS; values may be percent-encoded. Errors name the
 * header but never echo its value, because headers often carry API keys.
 */
export function parseHeaderList(text: string | null, source: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === null) return headers;
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    const name = (equals === -1 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (equals === -1 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name))
      throw new ConfigError(
        `${source}: invalid header "${name}"; use name=value pairs separated by commas, such as api-key=SECRET`,
      );
    headers[name] = decodeURIComponent(part.slice(equals + 1).trim());
  }
  return headers;
}
