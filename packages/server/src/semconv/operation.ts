import type { Operation, SpanType } from './canonical-span.ts';
import { lookupTable } from '../lookup-table.ts';

/** Operations whose token usage counts: the model calls themselves. */
export const LLM_CALL_OPERATIONS: ReadonlySet<Operation> = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
]);

export const SPAN_TYPES: Readonly<Record<Operation, SpanType>> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  embeddings: 'embedding',
  rerank: 'retrieval',
  retrieval: 'retrieval',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  invoke_workflow: 'chain',
  other: 'other',
};

/**
 * `gen_ai.operation.name` values, including the vendor values seen in the wild:
 * `response` (MLflow), `generate` (Genkit), `llm_request` (OpenLLMetry custom
 * spans), `chain` (LangSmith). Operations of the GenAI conventions after v1.41
 * that carry no usage of their own (`fetch_response`, `plan`, memory operations)
 * map to `other`.
 */
const OPERATIONS: Readonly<Record<string, Operation>> = lookupTable({
  chat: 'chat',
  response: 'chat',
  generate: 'chat',
  llm_request: 'chat',
  text_completion: 'text_completion',
  completion: 'text_completion',
  generate_content: 'generate_content',
  embeddings: 'embeddings',
  embedding: 'embeddings',
  rerank: 'rerank',
  retrieval: 'retrieval',
  execute_tool: 'execute_tool',
  invoke_agent: 'invoke_agent',
  create_agent: 'create_agent',
  invoke_workflow: 'invoke_workflow',
  chain: 'invoke_workflow',
  fetch_response: 'other',
  plan: 'other',
  image_generation: 'other',
  search_memory: 'other',
  create_memory: 'other',
  update_memory: 'other',
  upsert_memory: 'other',
  delete_memory: 'other',
  create_memory_store: 'other',
  delete_memory_store: 'other',
});

/**
 * Maps an operation name. Returns null for a missing or unknown name, so that
 * another dialect or the model-and-usage rule can decide.
 */
export function operationFromName(name: string | null): Operation | null {
  if (name === null) return null;
  return OPERATIONS[name.toLowerCase()] ?? null;
}
