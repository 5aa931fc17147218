import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readJsonObject, readString } from './attributes.ts';
import type { Operation } from './canonical-span.ts';
import type { DialectFields, ReaderInput } from './dialect-fields.ts';
import { normalizeProvider } from './provider.ts';
import { fillUsage, OPENINFERENCE_USAGE_KEYS } from './usage-keys.ts';
import { lookupTable } from '../lookup-table.ts';

/** `openinference.span.kind` values (OpenInference semantic conventions 0.1.x). */
const SPAN_KINDS: Readonly<Record<string, Operation>> = lookupTable({
  LLM: 'chat',
  EMBEDDING: 'embeddings',
  RETRIEVER: 'retrieval',
  RERANKER: 'rerank',
  TOOL: 'execute_tool',
  AGENT: 'invoke_agent',
  CHAIN: 'invoke_workflow',
  GUARDRAIL: 'other',
  EVALUATOR: 'other',
  PROMPT: 'other',
  UNKNOWN: 'other',
});

export function isOpenInference(attributes: Attributes): boolean {
  return 'openinference.span.kind' in attributes;
}

/**
 * Reads OpenInference (Arize, Phoenix). `llm.provider` is the host and wins over
 * `llm.system`, the model vendor. `llm.model_name` is the response model when the
 * instrumentation has one, so the request model comes from
 * `llm.request.model_name` or the `model` of `llm.invocation_parameters` first.
 * The Anthropic instrumentation already adds cache tokens to `llm.token_count.prompt`.
 */
export function readOpenInference(input: ReaderInput, fields: DialectFields): void {
  const { attributes } = input;
  fields.operation ??= readOperation(attributes);
  fields.provider ??= normalizeProvider(readString(attributes, ['llm.provider', 'llm.system']));
  fields.requestModel ??= readRequestModel(attributes);
  fields.responseModel ??= readString(attributes, [
    'llm.response.model_name',
    'llm.model_name',
    'embedding.model_name',
    'reranker.model_name',
  ]);
  fillUsage(attributes, OPENINFERENCE_USAGE_KEYS, fields.usage);
}

function readOperation(attributes: Attributes): Operation | null {
  const kind = readString(attributes, ['openinference.span.kind']);
  if (kind === null) return null;
  const operation = SPAN_KINDS[kind.toUpperCase()] ?? 'other';
  // The legacy completions API is recorded with `llm.prompts` instead of input messages.
  if (operation === 'chat' && isTextCompletion(attributes)) return 'text_completion';
  return operation;
}

function isTextCompletion(attributes: Attributes): boolean {
  return 'llm.prompts' in attributes || 'llm.prompts.0.prompt.text' in attributes;
}

function readRequestModel(attributes: Attributes): string | null {
  const named = readString(attributes, ['llm.request.model_name']);
  if (named !== null) return named;
  const parameters = readJsonObject(attributes, 'llm.invocation_parameters');
  const fromParameters = parameters === null ? null : readString(parameters, ['model']);
  return (
    fromParameters ??
    readString(attributes, ['llm.model_name', 'embedding.model_name', 'reranker.model_name'])
  );
}
