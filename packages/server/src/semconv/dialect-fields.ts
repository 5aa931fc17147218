import type { Attributes, OtlpSpanEvent } from '../ingest/otlp/otlp-model.ts';
import type { Operation } from './canonical-span.ts';

/** Token counts as a dialect reported them; null when the span did not carry the count. */
export interface ReportedUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  totalTokens: number | null;
}

/**
 * The GenAI fields read from one span. Readers run in dialect precedence order
 * and set only the fields that are still null, so the primary dialect wins and
 * the others fill its gaps.
 */
export interface DialectFields {
  operation: Operation | null;
  provider: string | null;
  requestModel: string | null;
  responseModel: string | null;
  usage: ReportedUsage;
  /** True when the reported input excludes cache reads and writes, as Anthropic's raw `input_tokens` does. */
  inputExcludesCache: boolean;
  /** True when the reported output excludes reasoning tokens, as Langfuse usage buckets do. */
  outputExcludesReasoning: boolean;
  timeToFirstTokenMs: number | null;
  /** `error.type` or the dialect's equivalent. */
  errorType: string | null;
  /** A dialect's own failure mark, such as Langfuse level ERROR, beside the span status. */
  failed: boolean;
  /** A dialect's own error message, such as `langfuse.observation.status_message`. */
  errorMessage: string | null;
}

/** The parts of a span that dialect readers read. */
export interface ReaderInput {
  attributes: Attributes;
  scopeName: string;
  startTimeUnixNano: bigint;
  /** The start on the sender's clock, which absolute times in attributes share; see OtlpSpan. */
  senderStartTimeUnixNano: bigint;
  events: readonly OtlpSpanEvent[];
}

export type DialectReader = (input: ReaderInput, fields: DialectFields) => void;

export function createDialectFields(): DialectFields {
  return {
    operation: null,
    provider: null,
    requestModel: null,
    responseModel: null,
    usage: {
      inputTokens: null,
      outputTokens: null,
      cachedInputTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
      totalTokens: null,
    },
    inputExcludesCache: false,
    outputExcludesReasoning: false,
    timeToFirstTokenMs: null,
    errorType: null,
    failed: false,
    errorMessage: null,
  };
}
