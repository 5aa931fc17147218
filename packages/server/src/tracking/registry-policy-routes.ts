import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FoghornError, InvalidRequestError, NotFoundError } from '../errors.ts';
import { MODEL_STAGES } from './entities.ts';
import { MlflowError } from './mlflow-error.ts';
import { transitionWithPolicy } from './promotion-gate.ts';
import { POLICY_BODY_SCHEMA, type PromotionPolicy } from './promotion-policy.ts';
import { projectContext } from './project-context.ts';
import type { TrackingContext } from './tracking-context.ts';

const MAX_TRANSITIONS = 1000;

const TRANSITION_BODY_SCHEMA = z
  .object({
    name: z.string().min(1),
    version: z.number().int().positive(),
    stage: z.enum(MODEL_STAGES),
    archiveExistingVersions: z.boolean().default(false),
    reason: z.string().max(500).default('requested in the Foghorn UI'),
  })
  .strict();

const TRANSITION_QUERY_SCHEMA = z.object({
  name: z.string().min(1).optional(),
  version: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_TRANSITIONS).default(200),
});

/** Parses with a schema and raises a 400 that names each invalid field, its value rule and the fix. */
function parseOr400<T>(schema: z.ZodType<T>, value: unknown, example: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `field "${issue.path.join('.') || '(body)'}": ${issue.message}`)
    .join('; ');
  throw new InvalidRequestError(`${problems}; send for example ${example}`);
}

/** Rethrows MLflow errors as Foghorn API errors with the same status and code. */
async function asApiError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MlflowError)
      throw new FoghornError(error.errorCode, error.message, error.httpStatus);
    throw error;
  }
}

function registerPolicyRoutes(app: FastifyInstance, context: TrackingContext): void {
  app.get('/api/v1/registry/policies', async (request) => ({
    policies: await projectContext(context, request).store.listPromotionPolicies(),
  }));

  app.put('/api/v1/registry/policies', async (request) => {
    const body = parseOr400(
      POLICY_BODY_SCHEMA,
      request.body,
      '{"modelName": "iris", "metricKey": "accuracy", "comparator": ">=", "threshold": 0.9, "autoPromote": true}',
    );
    const policy: PromotionPolicy = { ...body, updatedAtMs: context.now() };
    await projectContext(context, request).store.setPromotionPolicy(policy);
    return { policy };
  });

  app.delete('/api/v1/registry/policies', async (request) => {
    const { modelName } = request.query as { modelName?: string };
    const name = modelName === undefined || modelName === '' ? null : modelName;
    if (!(await projectContext(context, request).store.deletePromotionPolicy(name))) {
      throw new NotFoundError(
        name === null
          ? 'no default promotion policy is set'
          : `model "${name}" has no promotion policy`,
      );
    }
    return { modelName: name, deleted: true };
  });
}

function registerTransitionRoutes(app: FastifyInstance, context: TrackingContext): void {
  app.get('/api/v1/registry/transitions', async (request) => {
    const query = parseOr400(
      TRANSITION_QUERY_SCHEMA,
      request.query,
      '?name=iris&version=2&limit=50',
    );
    const transitions = await projectContext(context, request).store.listStageTransitions({
      name: query.name ?? null,
      version: query.version ?? null,
      limit: query.limit,
    });
    return { transitions };
  });

  app.post('/api/v1/registry/transitions', async (request) => {
    const body = parseOr400(
      TRANSITION_BODY_SCHEMA,
      request.body,
      '{"name": "iris", "version": 2, "stage": "Production"}',
    );
    const project = projectContext(context, request);
    const version = await project.store.getModelVersion(body.name, body.version);
    if (version === null)
      throw new NotFoundError(`model "${body.name}" has no version ${body.version}`);
    await asApiError(() =>
      transitionWithPolicy(project, version, {
        name: body.name,
        version: body.version,
        stage: body.stage,
        archiveExisting: body.archiveExistingVersions,
        actor: 'user',
        reason: body.reason,
        nowMs: context.now(),
      }),
    );
    return { modelVersion: await project.store.getModelVersion(body.name, body.version) };
  });
}

/**
 * Registers the promotion policy API (`/api/v1/registry/policies`) and the
 * stage transition log and requests (`/api/v1/registry/transitions`).
 */
export function registerRegistryPolicyRoutes(app: FastifyInstance, context: TrackingContext): void {
  registerPolicyRoutes(app, context);
  registerTransitionRoutes(app, context);
}
