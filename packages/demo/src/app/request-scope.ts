import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Random } from '../random.ts';
import type { RequestClock } from './clock.ts';
import type { LlmGateway } from './llm-gateway.ts';

/** The attribute names of one service: current GenAI conventions, or those before 1.28. */
export type Dialect = 'current' | 'legacy';

/** Everything the application code of one request uses. */
export interface RequestScope {
  tracer: Tracer;
  clock: RequestClock;
  random: Random;
  gateway: LlmGateway;
  dialect: Dialect;
  /** `tenant.id`, `feature.name`, `user.id` and `session.id`, set on every span of the request. */
  attribution: Attributes;
  /** Prefix of the mock request keys of this request's model calls. */
  requestKey: string;
  /** Model calls made so far; numbers each call's request key. */
  callCount: number;
  /** Mock headers an active incident adds to calls of the given model. */
  incidentHeaders(model: string): Record<string, string>;
  /** How far an active incident moves the mean helpfulness of the given model's answers. */
  qualityShift(model: string): number;
  /** Records the outcome of one model call: `ok` or an `error.type`. */
  recordCall(outcome: string): void;
  signal?: AbortSignal;
}
