/** Probabilities of each failure a mock model produces; the rest of the requests succeed. */
export interface FailureRates {
  /** 429 with `retry-after`. */
  rateLimit: number;
  /** 500. */
  serverError: number;
  /** 503. */
  serviceUnavailable: number;
  /** The response is held until the client gives up. */
  timeout: number;
  /** 400 with code `content_filter`. */
  contentFilter: number;
  /** 401 with code `invalid_api_key`. */
  authentication: number;
}

/** One model the mock provider serves, and how it behaves. */
export interface MockModel {
  name: string;
  /** The `gen_ai.provider.name` value of the vendor this model imitates. */
  provider: string;
  /** The `model` field of responses, such as a dated snapshot name. */
  responseModel: string;
  kind: 'chat' | 'embeddings';
  /** Median of the log-normal latency distribution. */
  medianLatencyMs: number;
  /** Standard deviation of the latency's natural logarithm. */
  latencySpread: number;
  /** Range of words in a generated text completion. */
  answerWords: readonly [number, number];
  /** Reports cached input tokens for a long system prompt. */
  promptCaching: boolean;
  /** Hidden reasoning tokens per visible output token; 0 for non-reasoning models. */
  reasoningTokensPerOutputToken: number;
  failureRates: FailureRates;
}

/**
 * 0.15 % of calls fail in all, so normal traffic burns the default error SLO (99.5 % per
 * provider) at about 0.3x and its alarms stay quiet until an incident is injected. At
 * 0.3 %, the chance spread of a few errors in a few thousand calls raised tickets.
 */
const USUAL_FAILURES: FailureRates = Object.freeze({
  rateLimit: 0.0008,
  serverError: 0.0002,
  serviceUnavailable: 0.0002,
  timeout: 0.0001,
  contentFilter: 0.0001,
  authentication: 0.00005,
});

const EMBEDDING_FAILURES: FailureRates = Object.freeze({
  ...USUAL_FAILURES,
  rateLimit: 0.0003,
  contentFilter: 0,
});

/** Models served by default. The names are those the vendors publish. */
export const DEFAULT_MOCK_MODELS: readonly MockModel[] = Object.freeze([
  chatModel('gpt-4o-mini', 'openai', 'gpt-4o-mini-2024-07-18', 650, [30, 140]),
  chatModel('gpt-4o', 'openai', 'gpt-4o-2024-08-06', 1400, [40, 180]),
  {
    // About 0.1 % of its calls take longer than 8 s, inside the default latency SLO of 99 %.
    ...chatModel('o3-mini', 'openai', 'o3-mini-2025-01-31', 3200, [40, 160]),
    latencySpread: 0.3,
    reasoningTokensPerOutputToken: 3,
  },
  chatModel('claude-3-5-haiku-20241022', 'anthropic', 'claude-3-5-haiku-20241022', 950, [30, 150]),
  {
    ...chatModel('gemini-2.0-flash', 'gcp.gemini', 'gemini-2.0-flash-001', 700, [30, 150]),
    failureRates: { ...USUAL_FAILURES, serviceUnavailable: 0.0005 },
  },
  {
    ...chatModel('text-embedding-3-small', 'openai', 'text-embedding-3-small', 90, [0, 0]),
    kind: 'embeddings',
    latencySpread: 0.35,
    promptCaching: false,
    failureRates: EMBEDDING_FAILURES,
  },
]);

function chatModel(
  name: string,
  provider: string,
  responseModel: string,
  medianLatencyMs: number,
  answerWords: readonly [number, number],
): MockModel {
  return {
    name,
    provider,
    responseModel,
    kind: 'chat',
    medianLatencyMs,
    latencySpread: 0.45,
    answerWords,
    promptCaching: true,
    reasoningTokensPerOutputToken: 0,
    failureRates: USUAL_FAILURES,
  };
}
