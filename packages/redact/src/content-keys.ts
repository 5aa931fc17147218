/**
 * Attribute keys that carry prompt or completion content, per dialect: OTel GenAI
 * (current and deprecated), OpenLLMetry, OpenInference, Vercel AI SDK, Traceloop,
 * Langfuse and MLflow. Tool arguments and results count as content.
 */
const CONTENT_KEYS: ReadonlySet<string> = new Set([
  // OTel GenAI, v1.37 and later
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.retrieval.query.text',
  'gen_ai.retrieval.documents',
  'gen_ai.memory.query.text',
  'gen_ai.memory.records',
  // OTel GenAI up to v1.27, on span events and from old emitters on spans
  'gen_ai.prompt',
  'gen_ai.completion',
  // OpenInference
  'input.value',
  'output.value',
  'llm.prompt_template.variables',
  // Vercel AI SDK
  'ai.prompt',
  'ai.prompt.messages',
  'ai.response.text',
  'ai.response.object',
  'ai.response.toolCalls',
  'ai.response.reasoning',
  'ai.result.text',
  'ai.result.object',
  'ai.result.toolCalls',
  'ai.toolCall.args',
  'ai.toolCall.result',
  'ai.value',
  'ai.values',
  // Traceloop, Langfuse, MLflow
  'traceloop.entity.input',
  'traceloop.entity.output',
  'langfuse.observation.input',
  'langfuse.observation.output',
  'langfuse.trace.input',
  'langfuse.trace.output',
  'mlflow.spanInputs',
  'mlflow.spanOutputs',
]);

/** Flattened message keys: `gen_ai.prompt.0.content`, `llm.input_messages.1.message.content`, and so on. */
const INDEXED_CONTENT_KEY = new RegExp(
  [
    '^gen_ai\\.(?:prompt|completion)\\.\\d+\\.(?:content|user|refusal|tool_calls\\.\\d+\\.arguments)$',
    '^llm\\.(?:input|output)_messages\\.\\d+\\.message\\.(?:content|contents\\.\\d+\\.message_content\\.text|tool_calls\\.\\d+\\.tool_call\\.function\\.arguments)$',
    '^llm\\.prompts\\.\\d+\\.prompt\\.text$',
    '^llm\\.choices\\.\\d+\\.completion\\.text$',
    '^retrieval\\.documents\\.\\d+\\.document\\.content$',
    '^embedding\\.embeddings\\.\\d+\\.embedding\\.text$',
    '^gen_ai\\.prompt\\.variable\\..+$',
  ].join('|'),
);
const INDEXED_PREFIXES = /^(?:gen_ai\.|llm\.|retrieval\.|embedding\.)/;

/** Extra keys that hold message text on span events, such as `content` on `gen_ai.user.message`. */
const EVENT_CONTENT_KEYS: ReadonlySet<string> = new Set(['content', 'gen_ai.event.content']);

/** Span events that exist only to carry content; the `drop` mode removes them whole. */
const CONTENT_EVENT_NAMES: ReadonlySet<string> = new Set([
  'gen_ai.content.prompt',
  'gen_ai.content.completion',
  'gen_ai.system.message',
  'gen_ai.user.message',
  'gen_ai.assistant.message',
  'gen_ai.tool.message',
  'gen_ai.choice',
]);

/** True when the attribute under `key` holds prompt, completion or tool content. */
export function isContentKey(key: string, onEvent: boolean): boolean {
  if (CONTENT_KEYS.has(key)) return true;
  if (onEvent && EVENT_CONTENT_KEYS.has(key)) return true;
  return INDEXED_PREFIXES.test(key) && INDEXED_CONTENT_KEY.test(key);
}

/** True for span events whose only purpose is to carry message content. */
export function isContentEvent(name: string): boolean {
  return CONTENT_EVENT_NAMES.has(name);
}
