import { lookupTable } from '../lookup-table.ts';

/**
 * Metric names the panels read when spans are absent: the OTel GenAI client
 * metrics (v1.28 to v1.41 and the 0.1.0 renames) and the names an app emits
 * when it follows the OTel metrics examples (`gen_ai.request.duration`,
 * `gen_ai.tokens.consumed`, `gen_ai.errors`, `gen_ai.requests.active`).
 */
export const DURATION_METRICS = [
  'gen_ai.client.operation.duration',
  'gen_ai.client.inference.duration',
  'gen_ai.request.duration',
  'llm.request.duration',
] as const;

/** Histograms or counters of tokens split by a token-type attribute. */
export const TYPED_TOKEN_METRICS = [
  'gen_ai.client.token.usage',
  'gen_ai.tokens.consumed',
  'llm.token.usage',
] as const;

/** Counters with one token type each (GenAI conventions 0.1.0). */
export const SINGLE_TYPE_TOKEN_METRICS: Readonly<Record<string, TokenKind>> = lookupTable({
  'gen_ai.client.inference.usage.input_tokens': 'input',
  'gen_ai.client.inference.usage.output_tokens': 'output',
  'gen_ai.client.inference.usage.cache_read.input_tokens': 'cachedInput',
  'gen_ai.client.inference.usage.cache_write.input_tokens': 'cacheWrite',
  'gen_ai.client.inference.usage.reasoning.output_tokens': 'reasoning',
});

export const ERROR_METRICS = ['gen_ai.errors', 'gen_ai.client.errors', 'llm.errors'] as const;

export const ACTIVE_REQUEST_METRICS = [
  'gen_ai.requests.active',
  'gen_ai.client.requests.active',
] as const;

export type TokenKind = 'input' | 'output' | 'cachedInput' | 'cacheWrite' | 'reasoning';

/** Maps a token-type attribute value to the canonical token kind. */
export function tokenKindOf(tokenType: string | null): TokenKind | null {
  switch ((tokenType ?? '').toLowerCase()) {
    case 'input':
    case 'prompt':
      return 'input';
    case 'output':
    case 'completion':
      return 'output';
    case 'cache_read':
    case 'cached_input':
      return 'cachedInput';
    case 'cache_write':
    case 'cache_creation':
      return 'cacheWrite';
    case 'reasoning':
      return 'reasoning';
    default:
      return null;
  }
}

/** Factor from a duration metric's unit to milliseconds; OTel's GenAI durations are in seconds. */
export function millisecondsPerUnit(unit: string): number {
  if (unit === 'ms') return 1;
  if (unit === 'us' || unit === 'µs') return 0.001;
  if (unit === 'ns') return 0.000001;
  return 1000;
}
