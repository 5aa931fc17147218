import OpenAI, { APIError } from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { MOCK_HEADERS } from '../provider/protocol.ts';
import type { CallErrorType } from './error-type.ts';
import { classifyError } from './error-type.ts';
import { addChunk, createAssembly, tokenCounts } from './stream-assembly.ts';

/** The client timeout of live calls. */
export const LIVE_TIMEOUT_MS = 20_000;
/** The real wait for a held response in simulated mode; spans still report `LIVE_TIMEOUT_MS`. */
export const SIMULATED_TIMEOUT_MS = 750;
/** Embedding width the demo requests, small enough to keep responses short. */
export const EMBEDDING_DIMENSIONS = 256;

export interface CallSettings {
  requestKey: string;
  simulated: boolean;
  /** Extra mock headers, such as an incident's latency factor. */
  headers: Record<string, string>;
  signal?: AbortSignal;
}

export interface ChatParams {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionTool[];
  temperature: number;
  maxTokens: number;
  stream: boolean;
}

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
}

export interface ToolCallRequest {
  id: string;
  name: string;
  argumentsJson: string;
}

export interface ChatResult {
  id: string;
  responseModel: string;
  finishReasons: string[];
  content: string | null;
  toolCalls: ToolCallRequest[];
  usage: TokenCounts | null;
  reportedLatencyMs: number;
  reportedTimeToFirstChunkMs: number | null;
  measuredTimeToFirstChunkMs: number | null;
}

export interface EmbeddingsResult {
  responseModel: string;
  inputTokens: number;
  vectors: number[][];
  reportedLatencyMs: number;
}

/** A failed model call, classified, with the latency to record for it. */
export class ModelCallError extends Error {
  constructor(
    readonly errorType: CallErrorType,
    readonly reportedLatencyMs: number,
    override readonly cause: unknown,
  ) {
    super(`model call failed with ${errorType}: ${(cause as Error).message}`);
  }
}

/** Calls the mock provider through the real `openai` client, with retries off so each span is one attempt. */
export class LlmGateway {
  private readonly client: OpenAI;

  constructor(baseUrl: string) {
    this.client = new OpenAI({ apiKey: 'sk-foghorn-demo', baseURL: baseUrl, maxRetries: 0 });
  }

  async chat(params: ChatParams, settings: CallSettings): Promise<ChatResult> {
    try {
      return params.stream
        ? await this.chatStreaming(params, settings)
        : await this.chatOnce(params, settings);
    } catch (error) {
      throw toModelCallError(error);
    }
  }

  async embed(model: string, inputs: string[], settings: CallSettings): Promise<EmbeddingsResult> {
    try {
      const { data, response } = await this.client.embeddings
        .create(
          { model, input: inputs, dimensions: EMBEDDING_DIMENSIONS },
          requestOptions(settings),
        )
        .withResponse();
      return {
        responseModel: data.model,
        inputTokens: data.usage.prompt_tokens,
        vectors: data.data.map((item) => Array.from(item.embedding)),
        reportedLatencyMs: reportedMs(response.headers, MOCK_HEADERS.latencyMs) ?? 0,
      };
    } catch (error) {
      throw toModelCallError(error);
    }
  }

  private async chatOnce(params: ChatParams, settings: CallSettings): Promise<ChatResult> {
    const { data, response } = await this.client.chat.completions
      .create({ ...requestBody(params), stream: false }, requestOptions(settings))
      .withResponse();
    const message = data.choices[0]?.message;
    return {
      id: data.id,
      responseModel: data.model,
      finishReasons: data.choices.map((choice) => choice.finish_reason),
      content: message?.content ?? null,
      toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
        call.type === 'function'
          ? [{ id: call.id, name: call.function.name, argumentsJson: call.function.arguments }]
          : [],
      ),
      usage: data.usage === undefined ? null : tokenCounts(data.usage),
      reportedLatencyMs: reportedMs(response.headers, MOCK_HEADERS.latencyMs) ?? 0,
      reportedTimeToFirstChunkMs: null,
      measuredTimeToFirstChunkMs: null,
    };
  }

  private async chatStreaming(params: ChatParams, settings: CallSettings): Promise<ChatResult> {
    const startedMs = performance.now();
    const { data: stream, response } = await this.client.chat.completions
      .create(
        { ...requestBody(params), stream: true, stream_options: { include_usage: true } },
        requestOptions(settings),
      )
      .withResponse();
    const assembled = createAssembly();
    for await (const chunk of stream) {
      assembled.firstChunkMs ??= performance.now() - startedMs;
      addChunk(assembled, chunk);
    }
    return {
      ...assembled.result,
      toolCalls: [...assembled.toolCalls.values()],
      reportedLatencyMs: reportedMs(response.headers, MOCK_HEADERS.latencyMs) ?? 0,
      reportedTimeToFirstChunkMs: reportedMs(response.headers, MOCK_HEADERS.timeToFirstChunkMs),
      measuredTimeToFirstChunkMs: assembled.firstChunkMs,
    };
  }
}

/** o-series reasoning models take `max_completion_tokens`; the others take `max_tokens`. */
function requestBody(params: ChatParams) {
  const limit = params.model.startsWith('o')
    ? { max_completion_tokens: params.maxTokens }
    : { max_tokens: params.maxTokens, temperature: params.temperature };
  return {
    model: params.model,
    messages: params.messages,
    ...(params.tools === undefined ? {} : { tools: params.tools }),
    ...limit,
  };
}

function requestOptions(settings: CallSettings) {
  const headers: Record<string, string> = {
    ...settings.headers,
    [MOCK_HEADERS.requestKey]: settings.requestKey,
  };
  if (settings.simulated) headers[MOCK_HEADERS.simulatedTime] = '1';
  return {
    headers,
    timeout: settings.simulated ? SIMULATED_TIMEOUT_MS : LIVE_TIMEOUT_MS,
    ...(settings.signal === undefined ? {} : { signal: settings.signal }),
  };
}

function reportedMs(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  return value === null ? null : Number(value);
}

/**
 * Wraps a client error. Timed-out calls report the live timeout, because in
 * simulated mode the real wait is shorter than the time the span claims.
 */
function toModelCallError(error: unknown): ModelCallError {
  const errorType = classifyError(error);
  if (errorType === 'timeout') return new ModelCallError(errorType, LIVE_TIMEOUT_MS, error);
  const headers = error instanceof APIError ? error.headers : undefined;
  const reported = headers === undefined ? null : reportedMs(headers, MOCK_HEADERS.latencyMs);
  return new ModelCallError(errorType, reported ?? 0, error);
}
