import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readString } from './attributes.ts';
import type { Operation } from './canonical-span.ts';
import type { DialectFields, ReaderInput } from './dialect-fields.ts';
import { operationFromName } from './operation.ts';
import { fillUsage, OPENLLMETRY_USAGE_KEYS } from './usage-keys.ts';
import { lookupTable } from '../lookup-table.ts';

/** `traceloop.span.kind` values of the traceloop-sdk decorators (`@workflow`, `@task`, `@agent`, `@tool`). */
const SPAN_KINDS: Readonly<Record<string, Operation>> = lookupTable({
  workflow: 'invoke_workflow',
  task: 'invoke_workflow',
  agent: 'invoke_agent',
  tool: 'execute_tool',
});

/** `llm.request.type` values of OpenLLMetry generations A and B. */
const REQUEST_TYPES: Readonly<Record<string, Operation>> = lookupTable({
  chat: 'chat',
  completion: 'text_completion',
  embedding: 'embeddings',
  rerank: 'rerank',
});

/** True when the span carries an attribute only OpenLLMetry (traceloop-sdk) writes. */
export function isOpenLlmetry(attributes: Attributes): boolean {
  return (
    'traceloop.span.kind' in attributes ||
    'traceloop.workflow.name' in attributes ||
    'traceloop.entity.name' in attributes ||
    'llm.request.type' in attributes ||
    'llm.usage.total_tokens' in attributes ||
    'gen_ai.usage.cache_read_input_tokens' in attributes ||
    'gen_ai.usage.cache_creation_input_tokens' in attributes ||
    'gen_ai.usage.reasoning_tokens' in attributes ||
    'gen_ai.is_streaming' in attributes ||
    'llm.is_streaming' in attributes
  );
}

/**
 * Reads the three OpenLLMetry generations: A (`gen_ai.usage.prompt_tokens`,
 * `llm.usage.total_tokens`, `gen_ai.usage.cache_read_input_tokens`), B (OTel
 * token names, same cache names) and C (OTel 1.40 names, but
 * `gen_ai.usage.reasoning_tokens`). Model, provider and the OTel names are left
 * to the OTel GenAI reader, which runs next on these spans.
 */
export function readOpenLlmetry(input: ReaderInput, fields: DialectFields): void {
  const { attributes } = input;
  fields.operation ??= readOperation(attributes);
  readUsage(input, fields);
  fields.errorType ??= readString(attributes, ['error.type']);
}

function readOperation(attributes: Attributes): Operation | null {
  const named = operationFromName(readString(attributes, ['gen_ai.operation.name']));
  if (named !== null) return named;
  const kind = readString(attributes, ['traceloop.span.kind']);
  if (kind !== null) return SPAN_KINDS[kind.toLowerCase()] ?? 'other';
  const requestType = readString(attributes, ['llm.request.type']);
  if (requestType !== null) return REQUEST_TYPES[requestType.toLowerCase()] ?? null;
  return null;
}

function readUsage(input: ReaderInput, fields: DialectFields): void {
  const ownsInput = fields.usage.inputTokens === null;
  fillUsage(input.attributes, OPENLLMETRY_USAGE_KEYS, fields.usage);
  if (ownsInput && fields.usage.inputTokens !== null && passesRawAnthropicInput(input)) {
    fields.inputExcludesCache = true;
  }
}

/**
 * OpenLLMetry JS up to 0.22 (generation A, scope `@traceloop/instrumentation-anthropic`)
 * wrote Anthropic's raw `input_tokens`, which exclude cache reads and writes.
 * The Python packages and JS 0.23+ add them.
 */
function passesRawAnthropicInput(input: ReaderInput): boolean {
  return (
    input.scopeName.startsWith('@traceloop/instrumentation-anthropic') &&
    'gen_ai.usage.prompt_tokens' in input.attributes
  );
}
