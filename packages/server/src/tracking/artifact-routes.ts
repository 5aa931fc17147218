import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contentTypeFor } from './artifact-store.ts';
import { notFound } from './mlflow-error.ts';
import { projectContext } from './project-context.ts';
import type { TrackingContext } from './tracking-context.ts';

function wildcardPath(request: FastifyRequest): string {
  return (request.params as Record<string, string>)['*'] ?? '';
}

async function uploadArtifact(context: TrackingContext, request: FastifyRequest): Promise<object> {
  await context.artifacts.write(wildcardPath(request), request.raw);
  return {};
}

async function listArtifacts(context: TrackingContext, request: FastifyRequest): Promise<object> {
  const query = request.query as Record<string, unknown>;
  const path = typeof query.path === 'string' ? query.path : '';
  const entries = await context.artifacts.list(path);
  if (entries.length === 0) return {};
  return {
    files: entries.map((entry) =>
      entry.isDir
        ? { path: entry.path, is_dir: true }
        : { path: entry.path, is_dir: false, file_size: entry.fileSizeBytes },
    ),
  };
}

async function downloadArtifact(
  context: TrackingContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const path = wildcardPath(request);
  if (path === '') return reply.send(await listArtifacts(context, request));
  const file = await context.artifacts.open(path);
  if (file === null) throw notFound(`Artifact '${path}' not found.`);
  const fileName = path.split('/').pop() ?? 'artifact';
  return reply
    .type(contentTypeFor(path))
    .header('content-length', file.sizeBytes)
    .header('content-disposition', `attachment; filename="${fileName.replaceAll('"', '')}"`)
    .header('x-content-type-options', 'nosniff')
    .send(file.stream);
}

/**
 * Registers MLflow's artifact proxy (`mlflow-artifacts:` URIs) in a scope
 * whose prefix is `/api/2.0/mlflow-artifacts`. Uploads are raw bytes streamed
 * to disk, so no body parser runs on them.
 */
export function registerArtifactProxy(scope: FastifyInstance, context: TrackingContext): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
  scope.put('/artifacts/*', (request) => uploadArtifact(projectContext(context, request), request));
  scope.get('/artifacts', (request) => listArtifacts(projectContext(context, request), request));
  scope.get('/artifacts/*', (request, reply) =>
    downloadArtifact(projectContext(context, request), request, reply),
  );
  scope.delete('/artifacts/*', async (request) => {
    await projectContext(context, request).artifacts.delete(wildcardPath(request));
    return {};
  });
}
