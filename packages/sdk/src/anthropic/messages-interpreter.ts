import type { CallRequest, CallResult } from '../telemetry/llm-call.ts';
import type { CallInterpreter, StreamAccumulator } from '../clients/run-instrumented.ts';
import { copyRequestParams, createRequestAttributes } from '../clients/request-attributes.ts';
import {
  anthropicInputMessages,
  anthropicSystemInstructions,
  blockParts,
} from './anthropic-messages.ts';
import { anthropicUsage, mergeAnthropicUsage } from './anthropic-usage.ts';

const MESSAGE_PARAMS: Readonly<Record<string, string>> = {
  max_tokens: 'gen_ai.request.max_tokens',
  temperature: 'gen_ai.request.temperature',
  top_p: 'gen_ai.request.top_p',
  top_k: 'gen_ai.request.top_k',
  stop_sequences: 'gen_ai.request.stop_sequences',
};

interface MessageParams {
  model?: string;
  stream?: boolean;
  messages?: unknown;
  system?: unknown;
}

interface MessageObject {
  id?: string;
  model?: string;
  role?: string;
  content?: unknown[];
  stop_reason?: string | null;
  usage?: unknown;
}

/** Creates the interpreter of `messages.create` of `@anthropic-ai/sdk`. */
export function messagesInterpreter(providerName: string): CallInterpreter {
  return {
    describe: (params, client, captureContent) =>
      describeMessages(params as MessageParams, client, providerName, captureContent),
    fromResponse: (response, captureContent) =>
      messageResult(response as MessageObject, captureContent),
    createAccumulator: (captureContent) => new MessageStreamAccumulator(captureContent),
  };
}

function describeMessages(
  params: MessageParams,
  client: unknown,
  providerName: string,
  captureContent: boolean,
): CallRequest {
  const attributes = createRequestAttributes((client as { baseURL?: unknown })?.baseURL);
  copyRequestParams(params as Record<string, unknown>, MESSAGE_PARAMS, attributes);
  return {
    operation: 'chat',
    provider: providerName,
    requestModel: typeof params.model === 'string' ? params.model : undefined,
    attributes,
    streaming: params.stream === true,
    inputMessages: captureContent ? () => anthropicInputMessages(params.messages) : undefined,
    systemInstructions: captureContent
      ? () => anthropicSystemInstructions(params.system)
      : undefined,
  };
}

function messageResult(message: MessageObject, captureContent: boolean): CallResult {
  const stopReason = message?.stop_reason ?? undefined;
  return {
    responseId: message?.id,
    responseModel: message?.model,
    finishReasons: stopReason === undefined ? [] : [stopReason],
    usage: anthropicUsage(message?.usage),
    outputMessages: captureContent
      ? () => [
          {
            role: message?.role ?? 'assistant',
            parts: blockParts(message?.content),
            ...(stopReason === undefined ? {} : { finish_reason: stopReason }),
          },
        ]
      : undefined,
  };
}

interface StreamEvent {
  type?: string;
  index?: number;
  message?: MessageObject;
  content_block?: Record<string, unknown>;
  delta?: {
    type?: string;
    text?: string;
    thinking?: string;
    partial_json?: string;
    stop_reason?: string | null;
  };
  usage?: unknown;
  error?: { type?: string; message?: string };
}

/**
 * Assembles a message from stream events: `message_start` carries the id, model
 * and input usage, `message_delta` the stop reason and cumulative usage, and
 * `content_block_*` events the content (assembled only while capture is on).
 */
class MessageStreamAccumulator implements StreamAccumulator {
  private message: MessageObject = {};
  private readonly blocks: Record<string, unknown>[] = [];
  private readonly partialJson = new Map<number, string>();
  private error: StreamEvent['error'] | undefined;

  constructor(private readonly captureContent: boolean) {}

  add(item: unknown): void {
    const event = item as StreamEvent;
    switch (event.type) {
      case 'message_start':
        this.message = { ...event.message, content: [] };
        break;
      case 'message_delta':
        this.message.usage = mergeAnthropicUsage(this.message.usage, event.usage);
        if (event.delta?.stop_reason !== undefined)
          this.message.stop_reason = event.delta.stop_reason;
        break;
      case 'error':
        this.error = event.error;
        break;
      default:
        if (this.captureContent) this.addContent(event);
    }
  }

  private addContent(event: StreamEvent): void {
    const index = event.index ?? 0;
    if (event.type === 'content_block_start' && event.content_block !== undefined) {
      this.blocks[index] = { ...event.content_block };
    } else if (event.type === 'content_block_delta') {
      const block = (this.blocks[index] ??= { type: 'text', text: '' });
      const delta = event.delta ?? {};
      if (delta.text !== undefined)
        block.text = `${(block.text as string | undefined) ?? ''}${delta.text}`;
      if (delta.thinking !== undefined)
        block.thinking = `${(block.thinking as string | undefined) ?? ''}${delta.thinking}`;
      if (delta.partial_json !== undefined) {
        this.partialJson.set(index, (this.partialJson.get(index) ?? '') + delta.partial_json);
      }
    }
  }

  result(): CallResult {
    for (const [index, json] of this.partialJson) {
      const block = this.blocks[index];
      if (block !== undefined) block.input = parseJsonOrText(json);
    }
    const content = this.blocks.filter((block) => block !== undefined);
    return messageResult({ ...this.message, content }, this.captureContent);
  }

  streamError(): unknown {
    return this.error === undefined
      ? undefined
      : { type: this.error.type, message: this.error.message };
  }
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
