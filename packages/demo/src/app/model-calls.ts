import type { Attributes, Context } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { DEFAULT_MOCK_MODELS } from '../provider/model-table.ts';
import type { CallSettings, ChatParams, ChatResult, EmbeddingsResult } from './llm-gateway.ts';
import { ModelCallError } from './llm-gateway.ts';
import { EVALUATION_EVENT, judgeAnswer } from './evaluation.ts';
import type { RequestScope } from './request-scope.ts';
import { markFailed, openSpan } from './spans.ts';
import {
  chatRequestAttributes,
  chatResponseAttributes,
  embeddingsAttributes,
} from './genai-attributes.ts';

/** Sends a chat call inside a `chat {model}` CLIENT span. */
export async function callChat(
  scope: RequestScope,
  parent: Context,
  params: ChatParams,
): Promise<ChatResult> {
  const attributes = chatRequestAttributes(scope.dialect, providerOf(params.model), params);
  const { span } = openSpan(scope, parent, `chat ${params.model}`, SpanKind.CLIENT, attributes);
  const startMs = scope.clock.nowMs();
  try {
    const result = await scope.gateway.chat(params, callSettings(scope, params.model));
    const endMs = scope.clock.afterCall(result.reportedLatencyMs);
    const timeToFirstChunkMs = scope.clock.simulated
      ? result.reportedTimeToFirstChunkMs
      : result.measuredTimeToFirstChunkMs;
    span.setAttributes(chatResponseAttributes(scope.dialect, result, timeToFirstChunkMs));
    const key = `${scope.requestKey}/${scope.callCount}`;
    for (const evaluation of judgeAnswer(key, scope.qualityShift(params.model))) {
      span.addEvent(EVALUATION_EVENT, evaluation, endMs);
    }
    scope.recordCall('ok');
    span.end(endMs);
    return result;
  } catch (error) {
    throw endFailedCall(scope, span, error, startMs);
  }
}

/** Sends an embeddings call inside an `embeddings {model}` CLIENT span. */
export async function callEmbeddings(
  scope: RequestScope,
  parent: Context,
  model: string,
  inputs: string[],
): Promise<EmbeddingsResult> {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'embeddings',
    'gen_ai.provider.name': providerOf(model),
    'gen_ai.request.model': model,
  };
  const { span } = openSpan(scope, parent, `embeddings ${model}`, SpanKind.CLIENT, attributes);
  const startMs = scope.clock.nowMs();
  try {
    const result = await scope.gateway.embed(model, inputs, callSettings(scope, model));
    const endMs = scope.clock.afterCall(result.reportedLatencyMs);
    span.setAttributes(embeddingsAttributes(result));
    scope.recordCall('ok');
    span.end(endMs);
    return result;
  } catch (error) {
    throw endFailedCall(scope, span, error, startMs);
  }
}

/**
 * Ends the span of a failed call and returns the error to rethrow. A call
 * cancelled at shutdown keeps its span open, so it is never exported.
 */
function endFailedCall(
  scope: RequestScope,
  span: ReturnType<typeof openSpan>['span'],
  error: unknown,
  startMs: number,
): unknown {
  if (!(error instanceof ModelCallError)) return error;
  if (error.errorType === 'cancelled') return error;
  markFailed(span, error.errorType, error.cause);
  scope.recordCall(error.errorType);
  const endMs = scope.clock.afterCall(error.reportedLatencyMs);
  span.end(Math.max(endMs, startMs));
  return error;
}

function callSettings(scope: RequestScope, model: string): CallSettings {
  scope.callCount += 1;
  return {
    requestKey: `${scope.requestKey}/${scope.callCount}`,
    simulated: scope.clock.simulated,
    headers: scope.incidentHeaders(model),
    ...(scope.signal === undefined ? {} : { signal: scope.signal }),
  };
}

function providerOf(model: string): string {
  return DEFAULT_MOCK_MODELS.find((entry) => entry.name === model)?.provider ?? 'openai';
}
