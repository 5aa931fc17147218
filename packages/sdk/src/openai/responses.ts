import type { GenAiMessage, GenAiPart } from '../telemetry/content-recorder.ts';
import type { CallRequest, CallResult } from '../telemetry/llm-call.ts';
import type { CallInterpreter, StreamAccumulator } from '../clients/run-instrumented.ts';
import { copyRequestParams, createRequestAttributes } from '../clients/request-attributes.ts';
import { contentParts } from './chat-messages.ts';
import { openAiUsage } from './openai-usage.ts';

const RESPONSES_PARAMS: Readonly<Record<string, string>> = {
  max_output_tokens: 'gen_ai.request.max_tokens',
  temperature: 'gen_ai.request.temperature',
  top_p: 'gen_ai.request.top_p',
};

interface ResponsesParams {
  model?: string;
  stream?: boolean;
  input?: unknown;
  instructions?: unknown;
}

interface OutputItem {
  type?: string;
  role?: string;
  content?: unknown;
  call_id?: string;
  name?: string;
  arguments?: string;
}

interface ResponseObject {
  id?: string;
  model?: string;
  status?: string;
  output?: OutputItem[];
  usage?: unknown;
  incomplete_details?: { reason?: string } | null;
  error?: { code?: string; message?: string } | null;
}

/** Creates the interpreter of `responses.create` (the OpenAI Responses API). */
export function responsesInterpreter(providerName: string): CallInterpreter {
  return {
    describe: (params, client, captureContent) =>
      describeResponses(params as ResponsesParams, client, providerName, captureContent),
    fromResponse: (response, captureContent) =>
      responseResult(response as ResponseObject, captureContent),
    createAccumulator: (captureContent) => new ResponsesStreamAccumulator(captureContent),
  };
}

function describeResponses(
  params: ResponsesParams,
  client: unknown,
  providerName: string,
  captureContent: boolean,
): CallRequest {
  const attributes = createRequestAttributes((client as { baseURL?: unknown })?.baseURL);
  copyRequestParams(params as Record<string, unknown>, RESPONSES_PARAMS, attributes);
  return {
    operation: 'chat',
    provider: providerName,
    requestModel: typeof params.model === 'string' ? params.model : undefined,
    attributes,
    streaming: params.stream === true,
    inputMessages: captureContent ? () => responsesInput(params.input) : undefined,
    systemInstructions: captureContent
      ? () =>
          typeof params.instructions === 'string' ? contentParts(params.instructions) : undefined
      : undefined,
  };
}

function responsesInput(input: unknown): GenAiMessage[] {
  if (typeof input === 'string')
    return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
  if (!Array.isArray(input)) return [];
  return (input as OutputItem[]).map((item) => {
    if (item.type === 'function_call_output') {
      return {
        role: 'tool',
        parts: [
          {
            type: 'tool_call_response',
            id: item.call_id,
            response: (item as { output?: unknown }).output,
          },
        ],
      };
    }
    return { role: item.role ?? 'user', parts: itemParts(item) };
  });
}

function itemParts(item: OutputItem): GenAiPart[] {
  if (item.type === 'function_call') {
    return [
      { type: 'tool_call', id: item.call_id, name: item.name ?? '', arguments: item.arguments },
    ];
  }
  return contentParts(item.content);
}

/** Returns the finish reason of a response: its status, in the terms Chat Completions uses. */
function finishReasonOf(response: ResponseObject): string {
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : (reason ?? 'incomplete');
  }
  if (response.status === 'failed') return 'error';
  const calledTool = (response.output ?? []).some((item) => item.type === 'function_call');
  return calledTool ? 'tool_calls' : 'stop';
}

function responseResult(response: ResponseObject, captureContent: boolean): CallResult {
  const output = Array.isArray(response?.output) ? response.output : [];
  const finishReason = finishReasonOf(response ?? {});
  return {
    responseId: response?.id,
    responseModel: response?.model,
    finishReasons: [finishReason],
    usage: openAiUsage(response?.usage),
    outputMessages: captureContent
      ? () => [
          {
            role: 'assistant',
            parts: output
              .filter((item) => item.type === 'message' || item.type === 'function_call')
              .flatMap(itemParts),
            finish_reason: finishReason,
          },
        ]
      : undefined,
  };
}

/** Keeps the last response snapshot of the stream; the terminal event carries usage and output. */
class ResponsesStreamAccumulator implements StreamAccumulator {
  private response: ResponseObject | undefined;

  constructor(private readonly captureContent: boolean) {}

  add(item: unknown): void {
    const event = item as { type?: string; response?: ResponseObject };
    if (
      event.response !== undefined &&
      typeof event.type === 'string' &&
      event.type.startsWith('response.')
    ) {
      this.response = event.response;
    }
  }

  result(): CallResult {
    return this.response === undefined ? {} : responseResult(this.response, this.captureContent);
  }

  /** Returns an error for a `response.failed` event, which ends the stream normally although the call failed. */
  streamError(): unknown {
    if (this.response?.status !== 'failed') return undefined;
    const error = this.response.error;
    return {
      code: error?.code ?? 'server_error',
      message: error?.message ?? 'the response failed',
    };
  }
}
