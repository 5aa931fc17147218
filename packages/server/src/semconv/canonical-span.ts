import type { Attributes } from '../ingest/otlp/otlp-model.ts';

/** The operation of a span, from `gen_ai.operation.name` or its equivalent in each dialect. */
export type Operation =
  | 'chat'
  | 'text_completion'
  | 'generate_content'
  | 'embeddings'
  | 'rerank'
  | 'retrieval'
  | 'execute_tool'
  | 'invoke_agent'
  | 'create_agent'
  | 'invoke_workflow'
  | 'other';

/** The span category the trace explorer draws with its own color and icon. */
export type SpanType = 'llm' | 'embedding' | 'retrieval' | 'tool' | 'agent' | 'chain' | 'other';

/** Error classes shared by panels, alarms and the SDK. */
export const ERROR_TYPES = [
  'rate_limit',
  'timeout',
  'server_error',
  'client_error',
  'content_filter',
  'authentication',
  'other',
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export type SpanKindName =
  'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCodeName = 'unset' | 'ok' | 'error';

/** Token counts in OTel meaning: input includes cache reads and writes, output includes reasoning. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** The price of one call and its parts, in USD. `totalUsd` is null when the model has no price. */
export interface SpanCost {
  totalUsd: number | null;
  inputUsd: number | null;
  outputUsd: number | null;
  cacheReadUsd: number | null;
  cacheWriteUsd: number | null;
  /** The price-table entry used, such as `openai/gpt-4o`; null when unpriced. */
  priceModel: string | null;
  /** The price table version that priced the call. */
  priceTableVersion: string | null;
  /** The prices the cost parts were computed with; absent on spans priced before they were stored. */
  pricesUsdPerMTok?: AppliedPrices | null;
  /** The source of the prices, and the tokens that went to 1-hour cache writes. */
  priceDetail?: PriceDetail | null;
}

/** Prices in USD per million tokens applied to one call, after tier and fallback choices. */
export interface AppliedPrices {
  input: number;
  output: number;
  cacheRead: number;
  /** 5-minute cache writes, or every cache write where the provider has one price. */
  cacheWrite: number;
  cacheWrite1h: number;
  /** Set only where reasoning is priced apart from output. */
  reasoning: number | null;
  /** The threshold of the long-context tier when it applied, else null. */
  longContextAboveInputTokens: number | null;
}

export interface PriceDetail {
  /** `table` for the shipped price table, `override` for `<dataDir>/prices.yaml` or the API. */
  source: 'table' | 'override';
  /** First day (YYYY-MM-DD, UTC) of the price period used. */
  effectiveFrom: string;
  /** Cache write tokens priced as 1-hour writes; the rest are 5-minute writes. */
  cacheWrite1hTokens: number;
  /** The Azure OpenAI deployment name that was mapped to the priced model, else null. */
  azureDeployment: string | null;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

/** One span in Foghorn's own model, whatever dialect it arrived in. */
export interface CanonicalSpan {
  /** The project the span was sent to, from the scope of the OTLP request that carried it. */
  projectId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  spanKind: SpanKindName;
  serviceName: string;
  scopeName: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationMs: number;
  statusCode: StatusCodeName;
  statusMessage: string | null;
  errorType: ErrorType | null;
  /** The attribute dialect the span was read with, such as `otel_genai` or `openinference`. */
  dialect: string;
  operation: Operation;
  spanType: SpanType;
  /** True for model calls (chat, text completion, content generation, embeddings) whose usage counts. */
  isLlmCall: boolean;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  /** The request model, falling back to the response model. */
  model: string | null;
  /** Zero on spans that are not LLM calls, because agent and workflow spans repeat their calls' usage. */
  usage: TokenUsage;
  cost: SpanCost;
  timeToFirstTokenMs: number | null;
  tenant: string | null;
  userId: string | null;
  sessionId: string | null;
  feature: string | null;
  environment: string | null;
  /**
   * The registered model version that served the call, as `<name>/<version>`, from
   * `foghorn.registered_model.name` and `.version`; children inherit it from their root.
   */
  registeredModel: string | null;
  attributes: Attributes;
  resourceAttributes: Attributes;
  events: SpanEvent[];
  /**
   * Problems found and corrected at ingest, such as `start_time_zero`,
   * `start_time_in_future` or `microseconds_as_nanoseconds`; empty for a clean span.
   */
  ingestIssues: string[];
}
