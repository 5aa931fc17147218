import type { FastifyInstance } from 'fastify';

/**
 * The dashboard's Content-Security-Policy. Scripts and styles load only from
 * Foghorn's own origin, with no inline code, eval or inline style elements.
 * CSP does not govern styles set through the CSSOM (`element.style.x = ...`, as
 * Preact and uPlot do), so they keep working.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Headers set on every response of the main port: HTML pages, assets and API responses. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
});

/** Adds SECURITY_HEADERS to every response of `app`. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
}
