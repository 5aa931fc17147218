import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { parseJsonText, readJsonObject, readObjectCount, readString } from './attributes.ts';
import type { Operation } from './canonical-span.ts';
import type { DialectFields, ReaderInput } from './dialect-fields.ts';
import { normalizeProvider } from './provider.ts';
import { lookupTable } from '../lookup-table.ts';

/** `mlflow.spanType` values (MLflow `SpanType`). */
const SPAN_TYPES: Readonly<Record<string, Operation>> = lookupTable({
  LLM: 'chat',
  CHAT_MODEL: 'chat',
  EMBEDDING: 'embeddings',
  RETRIEVER: 'retrieval',
  RERANKER: 'rerank',
  TOOL: 'execute_tool',
  AGENT: 'invoke_agent',
  CHAIN: 'invoke_workflow',
  WORKFLOW: 'invoke_workflow',
  TASK: 'invoke_workflow',
});

export function isMlflow(attributes: Attributes): boolean {
  return (
    'mlflow.spanType' in attributes ||
    'mlflow.chat.tokenUsage' in attributes ||
    'mlflow.traceRequestId' in attributes
  );
}

/**
 * Reads MLflow tracing attributes. MLflow JSON-encodes every `mlflow.*` value, so a
 * plain string arrives quoted (`"\"LLM\""`). The Anthropic autolog passes the raw
 * Anthropic `input_tokens`, which exclude cache reads and writes.
 */
export function readMlflow(input: ReaderInput, fields: DialectFields): void {
  const { attributes } = input;
  const spanType = readMlflowString(attributes, 'mlflow.spanType');
  fields.operation ??= spanType === null ? null : (SPAN_TYPES[spanType.toUpperCase()] ?? 'other');
  fields.provider ??= normalizeProvider(readMlflowString(attributes, 'mlflow.llm.provider'));
  fields.requestModel ??=
    readMlflowString(attributes, 'mlflow.llm.model') ?? readInputModel(attributes, fields);
  readUsage(attributes, fields);
}

function readMlflowString(attributes: Attributes, key: string): string | null {
  const value = parseJsonText(attributes[key]);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Older MLflow versions set no model attribute; the request in `mlflow.spanInputs` names it. */
function readInputModel(attributes: Attributes, fields: DialectFields): string | null {
  if (fields.operation !== 'chat' && fields.operation !== 'embeddings') return null;
  const inputs = readJsonObject(attributes, 'mlflow.spanInputs');
  return inputs === null ? null : readString(inputs, ['model']);
}

function readUsage(attributes: Attributes, fields: DialectFields): void {
  const tokenUsage = readJsonObject(attributes, 'mlflow.chat.tokenUsage');
  if (tokenUsage === null || fields.usage.inputTokens !== null) return;

  const usage = fields.usage;
  usage.inputTokens = readObjectCount(tokenUsage, ['input_tokens', 'prompt_tokens']);
  usage.outputTokens ??= readObjectCount(tokenUsage, ['output_tokens', 'completion_tokens']);
  usage.cachedInputTokens ??= readObjectCount(tokenUsage, ['cache_read_input_tokens']);
  usage.cacheWriteTokens ??= readObjectCount(tokenUsage, ['cache_creation_input_tokens']);
  usage.reasoningTokens ??= readObjectCount(tokenUsage, ['reasoning_tokens']);
  usage.totalTokens ??= readObjectCount(tokenUsage, ['total_tokens']);
  const format = readMlflowString(attributes, 'mlflow.message.format');
  if (fields.provider === 'anthropic' || format === 'anthropic') fields.inputExcludesCache = true;
}
