import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

interface StaticFile {
  body: Buffer;
  contentType: string;
}

function loadFiles(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const urlPath = `/${relative(root, path).split('\\').join('/')}`;
      files.set(urlPath, {
        body: readFileSync(path),
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
      });
    }
  };
  walk(root);
  return files;
}

const MISSING_BUILD_PAGE = `<!doctype html><meta charset="utf-8"><title>Foghorn</title>
<p>The dashboard is not built. Run <code>npm install</code> (or <code>npm run build:web</code>) in the repository root, then restart Foghorn.</p>`;

/**
 * Serves the built dashboard from `root`, loaded into memory at start. Paths
 * outside /api and the OTLP routes that match no file get index.html, so deep
 * links into the single-page app load it.
 */
export function registerStaticFiles(app: FastifyInstance, root: string): void {
  const files = existsSync(root) ? loadFiles(root) : new Map<string, StaticFile>();
  const index = files.get('/index.html');

  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/')) {
      return reply
        .code(404)
        .send({ error: { code: 'NOT_FOUND', message: `no API route ${request.method} ${path}` } });
    }
    const file = files.get(path);
    if (file) {
      const cache = path.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache';
      return reply.type(file.contentType).header('cache-control', cache).send(file.body);
    }
    if (index)
      return reply.type(index.contentType).header('cache-control', 'no-cache').send(index.body);
    return reply.code(503).type('text/html; charset=utf-8').send(MISSING_BUILD_PAGE);
  });
}
