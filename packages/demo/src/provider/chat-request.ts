/** The subset of an OpenAI chat completion request the mock reads. */
export interface ChatMessage {
  role: string;
  content?: string | readonly { type: string; text?: string }[] | null;
  tool_calls?: readonly ChatToolCall[];
  tool_call_id?: string;
}

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatTool {
  type: 'function';
  function: {
    name: string;
    parameters?: { properties?: Record<string, { type?: string }> };
  };
}

export type ToolChoice =
  'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: readonly ChatTool[];
  tool_choice?: ToolChoice;
  max_tokens?: number;
  max_completion_tokens?: number;
}

/** Returns an error message naming the invalid field, or null when the body is usable. */
export function findChatRequestError(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return 'the request body must be a JSON object';
  const request = body as Partial<ChatRequest>;
  if (typeof request.model !== 'string') return "'model' is required and must be a string";
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    return "'messages' must be a non-empty array";
  }
  const badIndex = request.messages.findIndex(
    (message: unknown) =>
      typeof message !== 'object' ||
      message === null ||
      typeof (message as ChatMessage).role !== 'string',
  );
  if (badIndex >= 0) return `'messages[${badIndex}].role' is required and must be a string`;
  return null;
}
