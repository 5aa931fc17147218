import type { GenAiMessage, GenAiPart } from '../telemetry/content-recorder.ts';

interface ChatMessageShape {
  role?: string;
  content?: unknown;
  tool_calls?: { id?: string; function?: { name?: string; arguments?: string } }[] | null;
  tool_call_id?: string;
}

/** Converts Chat Completions request messages into the OTel GenAI message shape. */
export function chatInputMessages(messages: unknown): GenAiMessage[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((message: ChatMessageShape) => {
    const role = message.role ?? 'user';
    if (role === 'tool') {
      return {
        role,
        parts: [
          { type: 'tool_call_response', id: message.tool_call_id, response: message.content },
        ],
      };
    }
    return {
      role,
      parts: [...contentParts(message.content), ...toolCallParts(message.tool_calls)],
    };
  });
}

/** Converts one assistant message of a response into the OTel GenAI shape. */
export function chatOutputMessage(
  message: ChatMessageShape | undefined,
  finishReason: string | undefined,
): GenAiMessage {
  const parts = [...contentParts(message?.content), ...toolCallParts(message?.tool_calls)];
  return {
    role: message?.role ?? 'assistant',
    parts,
    ...(finishReason === undefined ? {} : { finish_reason: finishReason }),
  };
}

export function contentParts(content: unknown): GenAiPart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  const parts: GenAiPart[] = [];
  for (const part of content as { type?: string; text?: string }[]) {
    if (typeof part?.text === 'string') parts.push({ type: 'text', content: part.text });
  }
  return parts;
}

function toolCallParts(toolCalls: ChatMessageShape['tool_calls']): GenAiPart[] {
  if (!Array.isArray(toolCalls)) return [];
  return toolCalls.map((call) => ({
    type: 'tool_call',
    id: call.id,
    name: call.function?.name ?? '',
    arguments: call.function?.arguments,
  }));
}
