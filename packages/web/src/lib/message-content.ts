import type { AttributeValue, TraceSpan } from '../api/types.ts';

/** One message of a prompt or completion, as plain text. */
export interface ContentMessage {
  role: string;
  text: string;
}

/** A content attribute of a span, read into messages where its shape allows. */
export interface ContentBlock {
  key: string;
  messages: ContentMessage[];
}

/** Attributes that carry prompt or completion content in the dialects Foghorn reads. */
const CONTENT_KEYS = [
  'gen_ai.system_instructions',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.tool.definitions',
  'input.value',
  'output.value',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.response.text',
  'ai.response.object',
  'traceloop.entity.input',
  'traceloop.entity.output',
  'mlflow.spanInputs',
  'mlflow.spanOutputs',
  'langfuse.observation.input',
  'langfuse.observation.output',
];

/** Prefixes of content flattened into one attribute per field, such as `gen_ai.prompt.0.content`. */
const CONTENT_PREFIXES = [
  'gen_ai.prompt.',
  'gen_ai.completion.',
  'llm.input_messages.',
  'llm.output_messages.',
];

export function isContentKey(key: string): boolean {
  return CONTENT_KEYS.includes(key) || CONTENT_PREFIXES.some((prefix) => key.startsWith(prefix));
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value, null, 2);
}

/** Reads the text of message parts: `{type: "text", content}`, tool calls and the rest as JSON. */
function partsText(parts: unknown[]): string {
  return parts
    .map((part) => {
      if (part !== null && typeof part === 'object') {
        const record = part as Record<string, unknown>;
        if (typeof record.content === 'string') return record.content;
        if (typeof record.text === 'string') return record.text;
      }
      return textOf(part);
    })
    .join('\n');
}

function toMessage(value: unknown, fallbackRole: string): ContentMessage {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { role: fallbackRole, text: textOf(value) };
  }
  const record = value as Record<string, unknown>;
  const role = typeof record.role === 'string' ? record.role : fallbackRole;
  if (Array.isArray(record.parts)) return { role, text: partsText(record.parts) };
  if (Array.isArray(record.content)) return { role, text: partsText(record.content) };
  if (record.content !== undefined) return { role, text: textOf(record.content) };
  return { role, text: textOf(value) };
}

/** Parses a content value into messages: a JSON list of messages, one message, or plain text. */
export function parseContent(value: AttributeValue, fallbackRole: string): ContentMessage[] {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [{ role: fallbackRole, text: value }];
    }
  }
  if (Array.isArray(parsed)) return parsed.map((item) => toMessage(item, fallbackRole));
  return [toMessage(parsed, fallbackRole)];
}

function roleOf(key: string): string {
  if (/output|completion|response|result/.test(key)) return 'output';
  if (key.includes('system')) return 'system';
  return 'input';
}

/** Collects a span's content attributes in a stable order, flattened keys last. */
export function contentBlocks(span: Pick<TraceSpan, 'attributes'>): ContentBlock[] {
  const keys = Object.keys(span.attributes).filter(isContentKey);
  const rank = (key: string): number => {
    const index = CONTENT_KEYS.indexOf(key);
    return index === -1 ? CONTENT_KEYS.length : index;
  };
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, undefined, { numeric: true }));
  return keys.map((key) => ({
    key,
    messages: parseContent(span.attributes[key] ?? null, roleOf(key)),
  }));
}
