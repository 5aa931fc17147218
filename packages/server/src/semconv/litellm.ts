import type { Attributes } from '../ingest/otlp/otlp-model.ts';
import { readString } from './attributes.ts';
import type { DialectFields, ReaderInput } from './dialect-fields.ts';
import { readOpenLlmetry } from './openllmetry.ts';

/** True for LiteLLM's OTel callback, which mixes OpenLLMetry names with its own cost attributes. */
export function isLiteLlm(attributes: Attributes): boolean {
  return 'litellm.call_id' in attributes || 'gen_ai.cost.total_cost' in attributes;
}

/**
 * Reads LiteLLM's OTel callback (checked on 1.100.0). It writes OpenLLMetry and OTel
 * names, but the cache-read and reasoning counts only inside `metadata.usage_object`,
 * a Python `repr` of the OpenAI usage object that is not JSON, so those two
 * numbers are matched by key.
 */
export function readLiteLlm(input: ReaderInput, fields: DialectFields): void {
  readOpenLlmetry(input, fields);
  const usageObject = readString(input.attributes, ['metadata.usage_object']);
  if (usageObject === null) return;
  fields.usage.cachedInputTokens ??= matchCount(usageObject, 'cached_tokens');
  fields.usage.reasoningTokens ??= matchCount(usageObject, 'reasoning_tokens');
}

function matchCount(text: string, key: string): number | null {
  const match = new RegExp(`'${key}': (\\d+)`).exec(text);
  return match === null ? null : Number(match[1]);
}
