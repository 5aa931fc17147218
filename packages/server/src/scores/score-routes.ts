import type { FastifyInstance } from 'fastify';
import { requestScope } from '../auth/request-scope.ts';
import { InvalidRequestError } from '../errors.ts';
import {
  WINDOW_PARAMS,
  assertKnownParams,
  parseGroupBy,
  parseLlmQuery,
  parseStepMs,
  type QueryString,
} from '../query/params.ts';
import { scoreBodySchema, toScoreRecord } from './score-schema.ts';
import type { ScoreQuery, ScoreStore } from './score-store.ts';

const SCORE_PARAMS = [...WINDOW_PARAMS, 'name', 'groupBy'];

/** Registers `POST /api/v1/scores` and the score queries. */
export function registerScoreRoutes(
  app: FastifyInstance,
  scores: ScoreStore,
  now: () => number,
): void {
  app.post('/api/v1/scores', async (request, reply) => {
    const parsed = scoreBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      throw new InvalidRequestError(
        `score field "${field}" is invalid: ${issue?.message ?? 'unknown problem'}; send {traceId or spanId, name, value (number or string), source, comment}`,
      );
    }
    const inputs = 'scores' in parsed.data ? parsed.data.scores : [parsed.data];
    const { projectId } = requestScope(request);
    const records = inputs.map((input) => toScoreRecord(input, now(), projectId));
    await scores.upsert(records);
    return reply.code(201).send({ ids: records.map((record) => record.id) });
  });

  app.get('/api/v1/scores/summary', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, SCORE_PARAMS);
    const query = scoreQuery(params, now(), requestScope(request).projectId);
    return { ...windowJson(query), groupBy: query.groupBy, groups: await scores.summary(query) };
  });

  app.get('/api/v1/scores/timeseries', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, [...SCORE_PARAMS, 'stepMs']);
    const query = scoreQuery(params, now(), requestScope(request).projectId);
    const stepMs = parseStepMs(params, query.toUnixMs - query.fromUnixMs);
    return {
      ...windowJson(query),
      groupBy: query.groupBy,
      stepMs,
      series: await scores.timeseries(query, stepMs),
    };
  });
}

function scoreQuery(params: QueryString, nowMs: number, projectId: string): ScoreQuery {
  const name = params.name;
  if (Array.isArray(name))
    throw new InvalidRequestError('query parameter "name" was given more than once; give it once');
  return {
    ...parseLlmQuery(params, nowMs, projectId),
    name: name === undefined || name === '' ? null : name,
    groupBy: parseGroupBy(params, false),
  };
}

function windowJson(query: ScoreQuery): { from: string; to: string } {
  return {
    from: new Date(query.fromUnixMs).toISOString(),
    to: new Date(query.toUnixMs).toISOString(),
  };
}
