import type { GenAiMessage, GenAiPart } from '../telemetry/content-recorder.ts';

interface ContentBlock {
  type?: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
}

/** Converts Anthropic request messages into the OTel GenAI message shape. */
export function anthropicInputMessages(messages: unknown): GenAiMessage[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((message: { role?: string; content?: unknown }) => ({
    role: message.role ?? 'user',
    parts: blockParts(message.content),
  }));
}

/** Converts the `system` parameter into system-instruction parts. */
export function anthropicSystemInstructions(system: unknown): GenAiPart[] | undefined {
  if (system === undefined || system === null) return undefined;
  return blockParts(system);
}

export function blockParts(content: unknown): GenAiPart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  const parts: GenAiPart[] = [];
  for (const block of content as ContentBlock[]) {
    const part = blockPart(block);
    if (part !== null) parts.push(part);
  }
  return parts;
}

function blockPart(block: ContentBlock): GenAiPart | null {
  switch (block?.type) {
    case 'text':
      return { type: 'text', content: block.text ?? '' };
    case 'thinking':
      return { type: 'reasoning', content: block.thinking ?? '' };
    case 'tool_use':
      return { type: 'tool_call', id: block.id, name: block.name ?? '', arguments: block.input };
    case 'tool_result':
      return { type: 'tool_call_response', id: block.tool_use_id, response: block.content };
    default:
      return null;
  }
}
