import type { Random } from '../random.ts';
import type { MockModel } from './model-table.ts';
import type { MockOutcome } from './protocol.ts';

/** Per-request adjustments a caller can send in headers. */
export interface OutcomeOverrides {
  forcedOutcome: MockOutcome | null;
  rateLimitProbability: number | null;
  latencyFactor: number;
}

/** The outcome and timing of one request. */
export interface CallPlan {
  outcome: MockOutcome;
  latencyMs: number;
  timeToFirstChunkMs: number;
}

/** Latencies are capped, so a slow model never exceeds a client timeout by accident. */
export const MAX_SAMPLED_LATENCY_MS = 25_000;

export function planCall(model: MockModel, random: Random, overrides: OutcomeOverrides): CallPlan {
  const outcome = overrides.forcedOutcome ?? drawOutcome(model, random, overrides);
  const fullLatencyMs = sampleLatencyMs(model, random) * overrides.latencyFactor;
  const latencyMs = Math.round(fullLatencyMs * latencyShare(outcome, random));
  const timeToFirstChunkMs = Math.round(latencyMs * (0.2 + 0.2 * random.next()));
  return { outcome, latencyMs, timeToFirstChunkMs };
}

function drawOutcome(model: MockModel, random: Random, overrides: OutcomeOverrides): MockOutcome {
  const rates = model.failureRates;
  const entries: [MockOutcome, number][] = [
    ['rate_limit', overrides.rateLimitProbability ?? rates.rateLimit],
    ['server_error', rates.serverError],
    ['service_unavailable', rates.serviceUnavailable],
    ['timeout', rates.timeout],
    ['content_filter', rates.contentFilter],
    ['authentication', rates.authentication],
  ];
  let unit = random.next();
  for (const [outcome, probability] of entries) {
    unit -= probability;
    if (unit < 0) return outcome;
  }
  return 'ok';
}

function sampleLatencyMs(model: MockModel, random: Random): number {
  const latencyMs = model.medianLatencyMs * Math.exp(model.latencySpread * random.normal());
  return Math.min(latencyMs, MAX_SAMPLED_LATENCY_MS);
}

/** Failures return before the full generation time; rejections at the gateway are fastest. */
function latencyShare(outcome: MockOutcome, random: Random): number {
  switch (outcome) {
    case 'ok':
    case 'timeout':
      return 1;
    case 'server_error':
      return 0.3 + 0.5 * random.next();
    case 'content_filter':
      return 0.15 + 0.1 * random.next();
    default:
      return 0.03 + 0.04 * random.next();
  }
}
