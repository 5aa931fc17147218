import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readJsonObject, readNumber, readObjectCount, readString } from './attributes.ts';
import type { Operation } from './canonical-span.ts';
import type { DialectFields, ReaderInput } from './dialect-fields.ts';
import { normalizeProvider } from './provider.ts';
import { fillUsage, VERCEL_AI_USAGE_KEYS } from './usage-keys.ts';
import { lookupTable } from '../lookup-table.ts';

/**
 * Operations of the AI SDK `ai.*` spans (v3.4 to v7 legacy telemetry). Only the
 * `do*` spans are provider calls; the outer `ai.generateText` and friends repeat
 * the summed usage of their steps and must not count.
 */
const OPERATIONS: Readonly<Record<string, Operation>> = lookupTable({
  'ai.generateText.doGenerate': 'chat',
  'ai.streamText.doStream': 'chat',
  'ai.generateObject.doGenerate': 'chat',
  'ai.streamObject.doStream': 'chat',
  'ai.embed.doEmbed': 'embeddings',
  'ai.embedMany.doEmbed': 'embeddings',
  'ai.rerank.doRerank': 'rerank',
  'ai.toolCall': 'execute_tool',
  'ai.generateText': 'invoke_agent',
  'ai.streamText': 'invoke_agent',
  'ai.generateObject': 'invoke_agent',
  'ai.streamObject': 'invoke_agent',
  'ai.embed': 'invoke_workflow',
  'ai.embedMany': 'invoke_workflow',
  'ai.rerank': 'invoke_workflow',
});

export function isVercelAi(attributes: Attributes): boolean {
  return 'ai.operationId' in attributes;
}

/**
 * Reads Vercel AI SDK `ai.*` attributes: `promptTokens`/`completionTokens` (v3, v4),
 * `inputTokens`/`outputTokens`/`cachedInputTokens`/`reasoningTokens` (v5, v6) and
 * `inputTokenDetails.*`/`outputTokenDetails.*` (v7). `msToFirstChunk` is in
 * milliseconds.
 */
export function readVercelAi(input: ReaderInput, fields: DialectFields): void {
  const { attributes } = input;
  const operationId = readString(attributes, ['ai.operationId']);
  fields.operation ??= operationId === null ? null : (OPERATIONS[operationId] ?? 'other');
  fields.provider ??= normalizeProvider(readString(attributes, ['ai.model.provider']));
  fields.requestModel ??= readString(attributes, ['ai.model.id']);
  fields.responseModel ??= readString(attributes, ['ai.response.model']);
  readUsage(attributes, fields);

  if (fields.timeToFirstTokenMs === null) {
    const ms = readNumber(attributes, ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk']);
    if (ms !== null && ms >= 0) fields.timeToFirstTokenMs = ms;
  }
}

function readUsage(attributes: Attributes, fields: DialectFields): void {
  const ownsInput = fields.usage.inputTokens === null;
  fillUsage(attributes, VERCEL_AI_USAGE_KEYS, fields.usage);
  if (ownsInput && fields.usage.inputTokens !== null && isAnthropicModel(attributes)) {
    readAnthropicCache(attributes, fields);
  }
}

/** `anthropic.messages`, and Anthropic models hosted elsewhere such as `vertex.anthropic.messages`. */
function isAnthropicModel(attributes: Attributes): boolean {
  const provider = readString(attributes, ['ai.model.provider']);
  return provider !== null && provider.includes('anthropic');
}

/**
 * AI SDK 3 to 5 report Anthropic's raw `input_tokens`, which exclude cache reads and
 * writes, and keep the cache-write count only in `ai.response.providerMetadata`.
 * AI SDK 6+ report the inclusive total. v3 and v4 (`promptTokens`) are always raw;
 * v5 and v6 share names, so comparing the reported input with the raw count in
 * the provider metadata distinguishes them.
 */
function readAnthropicCache(attributes: Attributes, fields: DialectFields): void {
  if ('ai.usage.inputTokenDetails.noCacheTokens' in attributes) return;
  if ('ai.usage.promptTokens' in attributes) fields.inputExcludesCache = true;
  // NOTE: without `ai.response.providerMetadata` an AI SDK 5 input stays as reported
  // unless the cache reads exceed it, so cache tokens of such spans may be missing.
  const metadata = readJsonObject(attributes, 'ai.response.providerMetadata');
  const anthropic = metadata?.anthropic;
  if (anthropic === null || typeof anthropic !== 'object' || Array.isArray(anthropic)) return;

  const raw = anthropic.usage;
  const rawUsage = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : null;
  const cacheRead =
    readObjectCount(rawUsage, ['cache_read_input_tokens']) ??
    readObjectCount(anthropic, ['cacheReadInputTokens']);
  const cacheWrite =
    readObjectCount(rawUsage, ['cache_creation_input_tokens']) ??
    readObjectCount(anthropic, ['cacheCreationInputTokens']);
  fields.usage.cachedInputTokens ??= cacheRead;
  fields.usage.cacheWriteTokens ??= cacheWrite;

  const rawInput = readObjectCount(rawUsage, ['input_tokens']);
  const cacheTokens = (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (rawInput !== null && rawInput === fields.usage.inputTokens && cacheTokens > 0) {
    fields.inputExcludesCache = true;
  }
}
