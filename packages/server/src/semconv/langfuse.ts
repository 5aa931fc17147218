import type { AttributeValue, Attributes } from '../ingest/otlp/otlp-model.ts';
import { readJsonObject, readObjectCount, readString } from './attributes.ts';
import type { Operation } from './canonical-span.ts';
import type { DialectFields, ReaderInput } from './dialect-fields.ts';
import { lookupTable } from '../lookup-table.ts';

/**
 * `langfuse.observation.type` values of the Langfuse Python v3 and JS v4 SDKs.
 * `span` and `event` name no kind of work, so other dialects may decide.
 */
const OBSERVATION_TYPES: Readonly<Record<string, Operation | null>> = lookupTable({
  generation: 'chat',
  embedding: 'embeddings',
  agent: 'invoke_agent',
  tool: 'execute_tool',
  chain: 'invoke_workflow',
  retriever: 'retrieval',
  guardrail: 'other',
  evaluator: 'other',
  span: null,
  event: null,
});

/** Langfuse usage keys. Langfuse keeps exclusive buckets: `input` without cache, `output` without reasoning. */
const CACHE_READ_KEYS = ['input_cached_tokens', 'cache_read_input_tokens', 'input_cache_read'];
const CACHE_WRITE_KEYS = [
  'input_cache_creation',
  'cache_creation_input_tokens',
  'input_cache_write',
];
const REASONING_KEYS = ['output_reasoning_tokens', 'output_reasoning', 'reasoning_tokens'];

export function isLangfuse(attributes: Attributes): boolean {
  return (
    'langfuse.observation.type' in attributes ||
    'langfuse.observation.usage_details' in attributes ||
    'langfuse.observation.model.name' in attributes
  );
}

/**
 * Reads the `langfuse.*` attributes of the Langfuse SDKs. Usage comes from the
 * `usage_details` JSON. Langfuse's own buckets there are exclusive, so the reconciliation
 * adds cache and reasoning back into input and output.
 */
export function readLangfuse(input: ReaderInput, fields: DialectFields): void {
  const { attributes } = input;
  const type = readString(attributes, ['langfuse.observation.type']);
  fields.operation ??= type === null ? null : (OBSERVATION_TYPES[type.toLowerCase()] ?? null);
  fields.responseModel ??= readString(attributes, ['langfuse.observation.model.name']);
  readUsageDetails(attributes, fields);

  if (readString(attributes, ['langfuse.observation.level'])?.toUpperCase() === 'ERROR') {
    fields.failed = true;
    fields.errorMessage ??= readString(attributes, ['langfuse.observation.status_message']);
  }
  if (fields.timeToFirstTokenMs === null) fields.timeToFirstTokenMs = readCompletionStart(input);
}

/** Nested detail objects of OpenAI chat and Responses usage, and of LangChain's usage metadata. */
const INPUT_DETAIL_KEYS = ['prompt_tokens_details', 'input_tokens_details', 'input_token_details'];
const OUTPUT_DETAIL_KEYS = [
  'completion_tokens_details',
  'output_tokens_details',
  'output_token_details',
];

function nestedObject(
  details: { [key: string]: AttributeValue },
  keys: readonly string[],
): { [key: string]: AttributeValue } | null {
  for (const key of keys) {
    const value = Object.hasOwn(details, key) ? details[key] : undefined;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  }
  return null;
}

function readUsageDetails(attributes: Attributes, fields: DialectFields): void {
  const details = readJsonObject(attributes, 'langfuse.observation.usage_details');
  if (details === null || fields.usage.inputTokens !== null) return;
  if (readProviderUsage(details, fields)) return;

  const usage = fields.usage;
  usage.inputTokens = readObjectCount(details, ['input', 'prompt_tokens', 'input_tokens']);
  usage.outputTokens ??= readObjectCount(details, ['output', 'completion_tokens', 'output_tokens']);
  usage.cachedInputTokens ??= readObjectCount(details, CACHE_READ_KEYS);
  usage.cacheWriteTokens ??= readCacheWrite(details);
  usage.reasoningTokens ??= readObjectCount(details, REASONING_KEYS);
  usage.totalTokens ??= readObjectCount(details, ['total', 'total_tokens']);
  fields.inputExcludesCache = true;
  fields.outputExcludesReasoning = true;
}

/**
 * Reads a provider's usage object that the Langfuse integrations pass on as it came: OpenAI's
 * `prompt_tokens` and `completion_tokens`, or counts with nested detail objects (OpenAI's
 * Responses API, LangChain). Their input includes the cache and their output the reasoning,
 * unlike Langfuse's own buckets. Returns false for other shapes.
 */
function readProviderUsage(
  details: { [key: string]: AttributeValue },
  fields: DialectFields,
): boolean {
  const inputDetails = nestedObject(details, INPUT_DETAIL_KEYS);
  const outputDetails = nestedObject(details, OUTPUT_DETAIL_KEYS);
  const chatShape =
    Object.hasOwn(details, 'prompt_tokens') || Object.hasOwn(details, 'completion_tokens');
  if (!chatShape && inputDetails === null && outputDetails === null) return false;

  const usage = fields.usage;
  usage.inputTokens = readObjectCount(details, ['prompt_tokens', 'input_tokens']);
  usage.outputTokens ??= readObjectCount(details, ['completion_tokens', 'output_tokens']);
  usage.cachedInputTokens ??=
    readObjectCount(inputDetails, ['cached_tokens', 'cache_read']) ??
    readObjectCount(details, CACHE_READ_KEYS);
  usage.cacheWriteTokens ??=
    readObjectCount(inputDetails, ['cache_creation']) ?? readCacheWrite(details);
  usage.reasoningTokens ??=
    readObjectCount(outputDetails, ['reasoning_tokens', 'reasoning']) ??
    readObjectCount(details, REASONING_KEYS);
  usage.totalTokens ??= readObjectCount(details, ['total_tokens', 'total']);
  // The flags stay unset, so the reconciliation detects exclusive counts from the counts themselves.
  return true;
}

/** Anthropic cache writes may arrive split by cache lifetime (`_5m`, `_1h`) only. */
function readCacheWrite(details: Attributes): number | null {
  const whole = readObjectCount(details, CACHE_WRITE_KEYS);
  if (whole !== null) return whole;
  const shortLived = readObjectCount(details, ['input_cache_creation_5m']);
  const longLived = readObjectCount(details, ['input_cache_creation_1h']);
  if (shortLived === null && longLived === null) return null;
  return (shortLived ?? 0) + (longLived ?? 0);
}

/**
 * `completion_start_time` is an absolute ISO 8601 time; older SDKs encode it as a
 * JSON string inside the string.
 */
function readCompletionStart(input: ReaderInput): number | null {
  let text = readString(input.attributes, ['langfuse.observation.completion_start_time']);
  if (text === null) return null;
  if (text.startsWith('"')) text = text.slice(1, -1);
  const timeUnixMs = Date.parse(text);
  if (Number.isNaN(timeUnixMs)) return null;
  // The completion start comes from the sender's clock, so it is measured from the start on
  // that clock. In bigint nanoseconds: a start in nanoseconds is beyond a double's exact integers.
  const ttftMs = Number(BigInt(timeUnixMs) * 1_000_000n - input.senderStartTimeUnixNano) / 1e6;
  return ttftMs >= 0 ? ttftMs : null;
}
