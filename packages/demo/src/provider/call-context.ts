import type { IncomingHttpHeaders } from 'node:http';
import type { Random } from '../random.ts';
import { createRandom, hashSeed } from '../random.ts';
import type { MockModel } from './model-table.ts';
import type { CallPlan, OutcomeOverrides } from './outcome.ts';
import { planCall } from './outcome.ts';
import { rejection } from './http-io.ts';
import { MOCK_HEADERS, MOCK_OUTCOMES, isMockOutcome } from './protocol.ts';

/** The state a route uses to respond to one request. */
export interface CallContext {
  model: MockModel;
  random: Random;
  plan: CallPlan;
  /** True when the response is sent at once and only reports its latency. */
  simulated: boolean;
  /** Headers of every response to this request. */
  headers: Record<string, string>;
}

/**
 * Builds the context of one call. The random source is seeded from the
 * provider seed and the request key header, or from a request counter when
 * the header is absent.
 */
export function createCallContext(
  headers: IncomingHttpHeaders,
  model: MockModel,
  seed: number,
  requestNumber: number,
): CallContext {
  const requestKey = singleHeader(headers, MOCK_HEADERS.requestKey);
  const random = createRandom(hashSeed(seed, requestKey ?? `request-${requestNumber}`));
  const plan = planCall(model, random, readOverrides(headers));
  const simulated = singleHeader(headers, MOCK_HEADERS.simulatedTime) === '1';
  const responseHeaders = {
    'x-request-id': `req_${random.hex(24)}`,
    [MOCK_HEADERS.latencyMs]: String(plan.latencyMs),
  };
  return { model, random, plan, simulated, headers: responseHeaders };
}

function readOverrides(headers: IncomingHttpHeaders): OutcomeOverrides {
  return {
    forcedOutcome: readOutcome(headers),
    rateLimitProbability: readNumber(headers, MOCK_HEADERS.rateLimitProbability, 0, 1),
    latencyFactor: readNumber(headers, MOCK_HEADERS.latencyFactor, 0.01, 1000) ?? 1,
  };
}

function readOutcome(headers: IncomingHttpHeaders): OutcomeOverrides['forcedOutcome'] {
  const value = singleHeader(headers, MOCK_HEADERS.outcome);
  if (value === undefined) return null;
  if (!isMockOutcome(value)) {
    throw rejection(
      400,
      `Header ${MOCK_HEADERS.outcome} is '${value}'; expected one of ${MOCK_OUTCOMES.join(', ')}.`,
    );
  }
  return value;
}

function readNumber(
  headers: IncomingHttpHeaders,
  name: string,
  min: number,
  max: number,
): number | null {
  const value = singleHeader(headers, name);
  if (value === undefined) return null;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min || number > max) {
    throw rejection(400, `Header ${name} is '${value}'; expected a number from ${min} to ${max}.`);
  }
  return number;
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
