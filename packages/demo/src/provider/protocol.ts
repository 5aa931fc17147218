/**
 * Headers the demo and the mock provider use to steer and report behaviour
 * that the OpenAI protocol has no field for.
 */
export const MOCK_HEADERS = Object.freeze({
  /** Request: a key that seeds the provider's random choices, so a request key always gets the same response. */
  requestKey: 'x-mock-request-key',
  /** Request: `1` sends the response at once and only reports the latency the call would have had. */
  simulatedTime: 'x-mock-simulated-time',
  /** Request: forces an outcome, one of `MOCK_OUTCOMES`. */
  outcome: 'x-mock-outcome',
  /** Request: multiplies the sampled latency, such as `6` for a latency spike. */
  latencyFactor: 'x-mock-latency-factor',
  /** Request: replaces the model's rate-limit probability, a number in [0, 1]. */
  rateLimitProbability: 'x-mock-rate-limit-probability',
  /** Response: the latency of the call in milliseconds, real or simulated. */
  latencyMs: 'x-mock-latency-ms',
  /** Response: the time until the first streamed chunk in milliseconds, real or simulated. */
  timeToFirstChunkMs: 'x-mock-time-to-first-chunk-ms',
});

export const MOCK_OUTCOMES = [
  'ok',
  'rate_limit',
  'server_error',
  'service_unavailable',
  'timeout',
  'content_filter',
  'authentication',
] as const;
export type MockOutcome = (typeof MOCK_OUTCOMES)[number];

export function isMockOutcome(value: string): value is MockOutcome {
  return (MOCK_OUTCOMES as readonly string[]).includes(value);
}
