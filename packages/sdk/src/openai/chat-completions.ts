import type { CallRequest, CallResult } from '../telemetry/llm-call.ts';
import type { CallInterpreter, StreamAccumulator } from '../clients/run-instrumented.ts';
import { copyRequestParams, createRequestAttributes } from '../clients/request-attributes.ts';
import { chatInputMessages, chatOutputMessage } from './chat-messages.ts';
import { openAiUsage } from './openai-usage.ts';

const CHAT_PARAMS: Readonly<Record<string, string>> = {
  max_tokens: 'gen_ai.request.max_tokens',
  max_completion_tokens: 'gen_ai.request.max_tokens',
  temperature: 'gen_ai.request.temperature',
  top_p: 'gen_ai.request.top_p',
  frequency_penalty: 'gen_ai.request.frequency_penalty',
  presence_penalty: 'gen_ai.request.presence_penalty',
  seed: 'gen_ai.request.seed',
  n: 'gen_ai.request.choice.count',
  stop: 'gen_ai.request.stop_sequences',
};

interface ChatParams {
  model?: string;
  stream?: boolean;
  messages?: unknown;
  stop?: unknown;
}

interface ChatChoice {
  index?: number;
  finish_reason?: string | null;
  message?: { role?: string; content?: unknown; tool_calls?: [] };
  delta?: ChatDelta;
}

interface ChatDelta {
  role?: string;
  content?: string | null;
  tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[];
}

interface ChatResponse {
  id?: string;
  model?: string;
  choices?: ChatChoice[];
  usage?: unknown;
}

/** Creates the interpreter of `chat.completions.create`, with the `gen_ai.provider.name` to record. */
export function chatCompletionsInterpreter(providerName: string): CallInterpreter {
  return {
    describe: (params, client, captureContent) =>
      describeChat(params as ChatParams, client, providerName, captureContent),
    fromResponse: (response, captureContent) =>
      chatResult(response as ChatResponse, captureContent),
    createAccumulator: (captureContent) => new ChatStreamAccumulator(captureContent),
  };
}

function describeChat(
  params: ChatParams,
  client: unknown,
  providerName: string,
  captureContent: boolean,
): CallRequest {
  const attributes = createRequestAttributes((client as { baseURL?: unknown })?.baseURL);
  copyRequestParams(params as Record<string, unknown>, CHAT_PARAMS, attributes);
  if (typeof params.stop === 'string') attributes['gen_ai.request.stop_sequences'] = [params.stop];
  return {
    operation: 'chat',
    provider: providerName,
    requestModel: typeof params.model === 'string' ? params.model : undefined,
    attributes,
    streaming: params.stream === true,
    inputMessages: captureContent ? () => chatInputMessages(params.messages) : undefined,
  };
}

function chatResult(response: ChatResponse, captureContent: boolean): CallResult {
  const choices = Array.isArray(response?.choices) ? response.choices : [];
  return {
    responseId: response?.id,
    responseModel: response?.model,
    finishReasons: choices.map((choice) => choice.finish_reason ?? 'unknown'),
    usage: openAiUsage(response?.usage),
    outputMessages: captureContent
      ? () =>
          choices.map((choice) =>
            chatOutputMessage(choice.message as never, choice.finish_reason ?? undefined),
          )
      : undefined,
  };
}

interface ChoiceState {
  role: string;
  text: string;
  finishReason: string | undefined;
  toolCalls: { id?: string; name: string; arguments: string }[];
}

/** Assembles streamed chunks: finish reasons per choice, the final usage chunk, text and tool calls. */
class ChatStreamAccumulator implements StreamAccumulator {
  private id: string | undefined;
  private model: string | undefined;
  private usage: unknown;
  private readonly choices = new Map<number, ChoiceState>();

  constructor(private readonly captureContent: boolean) {}

  add(item: unknown): void {
    const chunk = item as ChatResponse;
    this.id ??= chunk.id;
    this.model ??= chunk.model;
    if (chunk.usage !== undefined && chunk.usage !== null) this.usage = chunk.usage;
    if (!Array.isArray(chunk.choices)) return;
    for (const choice of chunk.choices) this.addChoice(choice);
  }

  private addChoice(choice: ChatChoice): void {
    const index = choice.index ?? 0;
    let state = this.choices.get(index);
    if (state === undefined) {
      state = { role: 'assistant', text: '', finishReason: undefined, toolCalls: [] };
      this.choices.set(index, state);
    }
    if (choice.finish_reason !== null && choice.finish_reason !== undefined)
      state.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (delta === undefined || !this.captureContent) return;
    if (typeof delta.role === 'string') state.role = delta.role;
    if (typeof delta.content === 'string') state.text += delta.content;
    for (const call of delta.tool_calls ?? []) {
      const position = call.index ?? state.toolCalls.length;
      const toolCall = (state.toolCalls[position] ??= { name: '', arguments: '' });
      if (call.id !== undefined) toolCall.id = call.id;
      if (call.function?.name !== undefined) toolCall.name += call.function.name;
      if (call.function?.arguments !== undefined) toolCall.arguments += call.function.arguments;
    }
  }

  result(): CallResult {
    const states = [...this.choices.entries()].sort(([a], [b]) => a - b).map(([, state]) => state);
    return {
      responseId: this.id,
      responseModel: this.model,
      finishReasons: states.map((state) => state.finishReason ?? 'unknown'),
      usage: openAiUsage(this.usage),
      outputMessages: this.captureContent ? () => states.map(streamedMessage) : undefined,
    };
  }

  streamError(): unknown {
    return undefined;
  }
}

function streamedMessage(state: ChoiceState) {
  const message = {
    role: state.role,
    content: state.text === '' ? null : state.text,
    tool_calls: state.toolCalls.map((call) => ({
      id: call.id,
      function: { name: call.name, arguments: call.arguments },
    })),
  };
  return chatOutputMessage(message, state.finishReason);
}
