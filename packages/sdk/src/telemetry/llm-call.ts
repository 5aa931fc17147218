import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { attributionAttributes, currentAttribution } from './attribution.ts';
import type { GenAiMessage } from './content-recorder.ts';
import { classifyError, type ErrorType } from './error-type.ts';
import { recordCallMetrics } from './call-metrics.ts';
import type { CallSeries } from './call-series.ts';
import { rememberSpanContext } from './span-registry.ts';
import type { Telemetry } from './telemetry-state.ts';
import type { TokenUsage } from './usage.ts';

/** The model, provider and parameters of a call, known before it is sent. */
export interface CallRequest {
  operation: 'chat' | 'embeddings' | 'text_completion';
  provider: string;
  requestModel: string | undefined;
  /**
   * Request attributes such as `gen_ai.request.max_tokens` and `server.address`,
   * in an object made for this call: `LlmCall` adds the span's other start
   * attributes to it and passes it to `startSpan`.
   */
  attributes: Attributes;
  streaming: boolean;
  /** Built only while content capture is on. */
  inputMessages?: () => GenAiMessage[];
  systemInstructions?: () => unknown[] | undefined;
}

/** The response model, usage and finish reasons of a call, known from its response or the end of its stream. */
export interface CallResult {
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  usage?: TokenUsage;
  outputMessages?: () => GenAiMessage[];
}

/**
 * One instrumented model call: a CLIENT span named `{operation} {model}`, the
 * in-flight counter while it runs, and its metrics when it ends. It ends once;
 * later ends are ignored. Every method catches what telemetry throws.
 */
export class LlmCall {
  readonly span: Span;
  /** The active context with the call span, for the provider request. */
  readonly context: Context;
  /** The metric series of the call's operation, provider, request model, tenant and feature. */
  readonly series: CallSeries;
  private readonly startMs = performance.now();
  private firstChunkMs: number | null = null;
  private ended = false;

  constructor(
    readonly telemetry: Telemetry,
    readonly request: CallRequest,
  ) {
    const parent = context.active();
    const attribution = currentAttribution(parent);
    const attributes = request.attributes;
    attributes['gen_ai.operation.name'] = request.operation;
    attributes['gen_ai.provider.name'] = request.provider;
    if (request.requestModel !== undefined)
      attributes['gen_ai.request.model'] = request.requestModel;
    attributionAttributes(attribution, attributes);
    const name =
      request.requestModel === undefined
        ? request.operation
        : `${request.operation} ${request.requestModel}`;
    this.span = telemetry.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    this.context = trace.setSpan(parent, this.span);
    this.series = telemetry.instruments.series.forCall(
      request.operation,
      request.provider,
      request.requestModel,
      attribution.tenant,
      attribution.feature,
    );
    this.series.active.value++;
    if (telemetry.content !== null) this.recordInput();
  }

  /** Marks the first streamed chunk; later calls do nothing. */
  markFirstChunk(): void {
    this.firstChunkMs ??= performance.now();
  }

  succeed(result: CallResult): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.setResultAttributes(result);
      this.finish(result, null);
    } catch (error) {
      this.telemetry.reportFailure('LlmCall.succeed', error);
    }
  }

  fail(error: unknown, partial: CallResult = {}): void {
    if (this.ended) return;
    this.ended = true;
    try {
      const errorType = classifyError(error);
      this.setResultAttributes(partial);
      this.span.setAttribute('error.type', errorType);
      if (error instanceof Error) this.span.recordException(error);
      const message = error instanceof Error ? error.message : String(error);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message });
      this.finish(partial, errorType);
    } catch (failure) {
      this.telemetry.reportFailure('LlmCall.fail', failure);
    }
  }

  private finish(result: CallResult, errorType: ErrorType | null): void {
    const endMs = performance.now();
    const ttftSeconds =
      this.firstChunkMs === null ? null : (this.firstChunkMs - this.startMs) / 1000;
    if (ttftSeconds !== null)
      this.span.setAttribute('gen_ai.response.time_to_first_chunk', ttftSeconds);
    this.span.end();
    recordCallMetrics(this, {
      durationSeconds: (endMs - this.startMs) / 1000,
      ttftSeconds,
      responseModel: result.responseModel,
      usage: result.usage,
      errorType,
    });
  }

  private setResultAttributes(result: CallResult): void {
    const span = this.span;
    if (result.responseModel !== undefined)
      span.setAttribute('gen_ai.response.model', result.responseModel);
    if (result.responseId !== undefined) span.setAttribute('gen_ai.response.id', result.responseId);
    if (result.finishReasons !== undefined && result.finishReasons.length > 0) {
      span.setAttribute('gen_ai.response.finish_reasons', result.finishReasons);
    }
    const usage = result.usage;
    if (usage !== undefined) {
      setCount(span, 'gen_ai.usage.input_tokens', usage.inputTokens);
      setCount(span, 'gen_ai.usage.output_tokens', usage.outputTokens);
      setCount(span, 'gen_ai.usage.cache_read.input_tokens', usage.cacheReadTokens);
      setCount(span, 'gen_ai.usage.cache_write.input_tokens', usage.cacheWriteTokens);
      setCount(span, 'gen_ai.usage.reasoning.output_tokens', usage.reasoningTokens);
    }
    const content = this.telemetry.content;
    if (content !== null && result.outputMessages !== undefined) {
      span.setAttribute('gen_ai.output.messages', content.serialize(result.outputMessages()));
    }
  }

  private recordInput(): void {
    try {
      const content = this.telemetry.content!;
      const messages = this.request.inputMessages?.();
      if (messages !== undefined)
        this.span.setAttribute('gen_ai.input.messages', content.serialize(messages));
      const system = this.request.systemInstructions?.();
      if (system !== undefined) {
        this.span.setAttribute('gen_ai.system_instructions', content.serialize(system as never));
      }
    } catch (error) {
      this.telemetry.reportFailure('content capture', error);
    }
  }

  /** Remembers the span of a result object, for `spanContextOf(result)`. */
  attachTo(result: unknown): void {
    if (result !== null && typeof result === 'object')
      rememberSpanContext(result, this.span.spanContext());
  }
}

function setCount(span: Span, key: string, value: number | undefined): void {
  if (value !== undefined) span.setAttribute(key, value);
}
