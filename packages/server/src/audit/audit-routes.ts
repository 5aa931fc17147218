import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InvalidRequestError } from '../errors.ts';
import type { AuditLog } from './audit-log.ts';
import { auditToCsv, auditToJson, auditToJsonLines } from './audit-format.ts';
import { requestScope } from '../auth/request-scope.ts';

const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_LIMIT = 100_000;

const time = z.union([
  z.string().regex(/^\d+$/).transform(Number),
  z
    .string()
    .datetime({ offset: true })
    .transform((value) => Date.parse(value)),
]);

const auditParams = z
  .object({
    from: time.optional(),
    to: time.optional(),
    actor: z.string().min(1).max(300).optional(),
    action: z.string().min(1).max(100).optional(),
    limit: z
      .string()
      .regex(/^\d+$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(MAX_LIMIT))
      .optional(),
    format: z.enum(['json', 'jsonl', 'csv']).optional(),
  })
  .strict();

function parseParams(query: unknown): z.infer<typeof auditParams> {
  const parsed = auditParams.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = issue.path.join('.') || 'query';
  throw new InvalidRequestError(
    `parameter ${name} is invalid: ${issue.message}; use from/to (RFC 3339 or Unix ms), actor, action, limit (1 to ${MAX_LIMIT}) and format (json, jsonl or csv)`,
    'INVALID_PARAMETER',
  );
}

/**
 * Registers `GET /api/v1/audit` for admins: entries newest first, filtered by
 * `from`/`to` (default the last 24 hours), `actor` and `action`, as JSON,
 * JSON lines (`format=jsonl`) or CSV (`format=csv`). Each export is itself audited.
 */
export function registerAuditRoutes(
  app: FastifyInstance,
  audit: AuditLog,
  now: () => number,
): void {
  app.get('/api/v1/audit', async (request, reply) => {
    const params = parseParams(request.query);
    const scope = requestScope(request);
    const toUnixMs = params.to ?? now() + 1;
    const entries = await audit.query({
      fromUnixMs: params.from ?? toUnixMs - DEFAULT_WINDOW_MS,
      toUnixMs,
      actor: params.actor ?? null,
      action: params.action ?? null,
      projectId: scope.principal === 'local' ? null : scope.projectId,
      limit: params.limit ?? 1000,
    });
    const format = params.format ?? 'json';
    if (format !== 'json') {
      await audit.record({
        actor: scope.principal,
        action: 'audit.export',
        outcome: 'success',
        projectId: scope.projectId,
        address: request.ip,
        detail: { format, entries: entries.length },
      });
    }
    if (format === 'jsonl')
      return reply.type('application/x-ndjson').send(auditToJsonLines(entries));
    if (format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="foghorn-audit.csv"')
        .send(auditToCsv(entries));
    return { entries: auditToJson(entries) };
  });
}
