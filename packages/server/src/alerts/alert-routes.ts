import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PROJECT_ID, requestScope } from '../auth/request-scope.ts';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import { parseDurationMs } from '../panels/duration.ts';
import { assertKnownParams, parseLimit, parseTime, type QueryString } from '../query/params.ts';
import type { AlertingService } from './alerting-service.ts';
import type { Silence } from './alert-store.ts';
import { toNotifiedAlert } from './dispatcher.ts';
import { instanceKey } from './evaluator.ts';
import { matchesOne, parseMatcher, type Matcher } from './matchers.ts';

const DAY_MS = 86_400_000;

/** Registers the alerting API: active alerts, history, rules, silences, the outbox and test notifications. */
export function registerAlertRoutes(
  app: FastifyInstance,
  alerting: AlertingService,
  now: () => number,
  publicUrl: () => string,
): void {
  app.get('/api/v1/alerts', async (request) => {
    assertKnownParams(request.query as QueryString, []);
    const { projectId } = requestScope(request);
    const rules = new Map(alerting.rules.projectRules(projectId).map((rule) => [rule.id, rule]));
    const alerts = alerting
      .instances()
      .filter((instance) => instance.projectId === projectId && instance.state !== 'resolved')
      .map((instance) => ({
        ...toNotifiedAlert(instance, rules.get(instance.ruleId), {
          nowMs: now(),
          publicUrl: publicUrl(),
        }),
        state: instance.state,
        activeAt: new Date(instance.activeAtMs).toISOString(),
        muted: alerting.isMuted(instanceKey(instance)),
      }));
    return { alerts };
  });

  app.get('/api/v1/alerts/history', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, ['from', 'to', 'ruleId', 'limit']);
    const toMs = typeof params.to === 'string' ? parseTime('to', params.to) : now();
    const fromMs = typeof params.from === 'string' ? parseTime('from', params.from) : toMs - DAY_MS;
    const ruleId = typeof params.ruleId === 'string' && params.ruleId !== '' ? params.ruleId : null;
    const history = await alerting.alertStore.listHistory({
      projectId: requestScope(request).projectId,
      fromMs,
      toMs,
      ruleId,
      limit: parseLimit(params, 500, 10_000),
    });
    return {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      history: history.map((entry) => ({ ...entry, at: new Date(entry.atMs).toISOString() })),
    };
  });

  registerRuleRoutes(app, alerting, now);
  registerSilenceRoutes(app, alerting, now);

  app.get('/api/v1/alerts/outbox', async (request) => {
    const params = request.query as QueryString;
    assertKnownParams(params, ['status', 'limit']);
    const status = params.status;
    if (
      status !== undefined &&
      status !== 'pending' &&
      status !== 'delivered' &&
      status !== 'failed'
    ) {
      throw new InvalidRequestError(
        `query parameter "status" has the invalid value "${String(status)}"; allowed values: pending, delivered, failed`,
      );
    }
    const records = await alerting.alertStore.listOutbox(
      requestScope(request).projectId,
      status ?? null,
      parseLimit(params, 100, 1000),
    );
    // Bodies and URLs hold routing keys and webhook secrets, so the API leaves them out.
    return {
      outbox: records.map(
        ({
          id,
          receiver,
          integration,
          summary,
          attempts,
          status: state,
          lastError,
          createdMs,
          deliveredMs,
          nextAttemptMs,
        }) => ({
          id,
          receiver,
          integration,
          summary,
          attempts,
          status: state,
          lastError,
          createdMs,
          deliveredMs,
          nextAttemptMs,
        }),
      ),
    };
  });
}

function registerRuleRoutes(
  app: FastifyInstance,
  alerting: AlertingService,
  now: () => number,
): void {
  const describe = (projectId: string, id: string): Record<string, unknown> => {
    const rule = alerting.rules.find(projectId, id);
    if (rule === undefined) throw new NotFoundError(`alert rule "${id}" was not found`);
    return {
      ...rule.spec,
      origin:
        rule.origin.kind === 'file' ? { kind: 'file', path: rule.origin.path } : { kind: 'api' },
    };
  };

  // Rule file problems name files of the operator's data directory, so only `default` sees them.
  app.get('/api/v1/alerts/rules', async (request) => {
    const { projectId } = requestScope(request);
    return {
      rules: alerting.rules.projectRules(projectId).map((rule) => describe(projectId, rule.id)),
      problems: projectId === DEFAULT_PROJECT_ID ? alerting.rules.problems() : [],
    };
  });
  app.get('/api/v1/alerts/rules/:id', async (request) =>
    describe(requestScope(request).projectId, (request.params as { id: string }).id),
  );
  app.post('/api/v1/alerts/rules', async (request, reply) => {
    const { projectId } = requestScope(request);
    const rule = await alerting.rules.save(projectId, request.body, now(), null);
    return reply.code(201).send(describe(projectId, rule.id));
  });
  app.put('/api/v1/alerts/rules/:id', async (request) => {
    const { projectId } = requestScope(request);
    const rule = await alerting.rules.save(
      projectId,
      request.body,
      now(),
      (request.params as { id: string }).id,
    );
    return describe(projectId, rule.id);
  });
  app.delete('/api/v1/alerts/rules/:id', async (request) => {
    const { id } = request.params as { id: string };
    await alerting.rules.remove(requestScope(request).projectId, id);
    return { id, deleted: true };
  });
  app.post('/api/v1/alerts/rules/:id/test', async (request) => {
    const { id } = request.params as { id: string };
    const { projectId } = requestScope(request);
    if (alerting.rules.find(projectId, id) === undefined)
      throw new NotFoundError(`alert rule "${id}" was not found`);
    return { ruleId: id, receivers: await alerting.sendTest(projectId, id) };
  });
}

interface SilenceBody {
  matchers?: unknown;
  startsAt?: unknown;
  endsAt?: unknown;
  duration?: unknown;
  createdBy?: unknown;
  comment?: unknown;
}

function registerSilenceRoutes(
  app: FastifyInstance,
  alerting: AlertingService,
  now: () => number,
): void {
  app.get('/api/v1/alerts/silences', async (request) => {
    const { projectId } = requestScope(request);
    const silences = await alerting.alertStore.listSilences();
    return {
      silences: silences
        .filter((silence) => silence.projectId === projectId)
        .map((silence) => ({ ...silence, state: silenceState(silence, now()) })),
    };
  });

  app.post('/api/v1/alerts/silences', async (request, reply) => {
    const silence = parseSilence(
      (request.body ?? {}) as SilenceBody,
      now(),
      requestScope(request).projectId,
    );
    await alerting.alertStore.upsertSilence(silence);
    return reply.code(201).send({ silenceId: silence.id });
  });

  app.delete('/api/v1/alerts/silences/:id', async (request) => {
    const { id } = request.params as { id: string };
    const { projectId } = requestScope(request);
    const silence = (await alerting.alertStore.listSilences()).find(
      (candidate) => candidate.id === id && candidate.projectId === projectId,
    );
    if (silence === undefined) throw new NotFoundError(`silence "${id}" was not found`);
    const nowMs = now();
    if (silence.endsAtMs > nowMs) {
      await alerting.alertStore.upsertSilence({
        ...silence,
        startsAtMs: Math.min(silence.startsAtMs, nowMs),
        endsAtMs: nowMs,
      });
    }
    return { silenceId: id, state: 'expired' };
  });
}

function silenceState(silence: Silence, nowMs: number): 'pending' | 'active' | 'expired' {
  if (nowMs < silence.startsAtMs) return 'pending';
  return nowMs < silence.endsAtMs ? 'active' : 'expired';
}

/** Validates a silence: matchers as strings (`tenant="acme"`) or objects, a start (default now) and an end or a duration. */
function parseSilence(body: SilenceBody, nowMs: number, projectId: string): Silence {
  if (!Array.isArray(body.matchers) || body.matchers.length === 0) {
    throw new InvalidRequestError(
      'field "matchers" is missing; send a list such as ["tenant=\\"acme\\""] or [{"name":"tenant","value":"acme"}]',
    );
  }
  const matchers = body.matchers.map(parseSilenceMatcher);
  if (matchers.every((matcher) => matchesOne(matcher, {}))) {
    throw new InvalidRequestError(
      'a silence needs at least one matcher that does not match the empty string, or it would silence every alert',
    );
  }
  const startsAtMs = body.startsAt === undefined ? nowMs : timeField('startsAt', body.startsAt);
  const endsAtMs =
    body.endsAt !== undefined
      ? timeField('endsAt', body.endsAt)
      : startsAtMs + durationField(body.duration);
  if (endsAtMs <= startsAtMs)
    throw new InvalidRequestError('field "endsAt" must be after "startsAt"');
  return {
    projectId,
    id: randomUUID(),
    matchers,
    startsAtMs,
    endsAtMs,
    createdBy: typeof body.createdBy === 'string' ? body.createdBy : 'api',
    comment: typeof body.comment === 'string' ? body.comment : '',
  };
}

function parseSilenceMatcher(input: unknown): Matcher {
  try {
    if (typeof input === 'string') return parseMatcher(input);
    const object = input as {
      name?: unknown;
      value?: unknown;
      isRegex?: unknown;
      isEqual?: unknown;
    };
    if (typeof object?.name !== 'string' || typeof object.value !== 'string')
      throw new Error('a matcher object needs string fields "name" and "value"');
    const operator = `${object.isEqual === false ? '!' : '='}${object.isRegex === true ? '~' : ''}`;
    return parseMatcher(
      `${object.name}${operator === '=' ? '=' : operator === '!' ? '!=' : operator}${JSON.stringify(object.value)}`,
    );
  } catch (error) {
    throw new InvalidRequestError(`field "matchers" is invalid: ${(error as Error).message}`);
  }
}

function timeField(name: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseTime(name, value);
  throw new InvalidRequestError(`field "${name}" must be Unix milliseconds or an RFC 3339 time`);
}

function durationField(value: unknown): number {
  const durationMs = typeof value === 'string' ? parseDurationMs(value) : null;
  if (durationMs === null || durationMs <= 0) {
    throw new InvalidRequestError(
      'send "endsAt" or "duration" (such as "2h") so the silence expires',
    );
  }
  return durationMs;
}
