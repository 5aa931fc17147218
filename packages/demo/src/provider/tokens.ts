import type { ChatMessage } from './chat-request.ts';

/**
 * The mock's token rule: a text of n characters is ceil(n / 4) tokens. A
 * prompt is the concatenation of every message's text and tool-call
 * arguments, so tests can predict usage from the request alone.
 */
export const CHARACTERS_PER_TOKEN = 4;

/** OpenAI caches prompt prefixes of at least 1024 tokens, in steps of 128 tokens. */
export const MIN_CACHED_PREFIX_TOKENS = 1024;
export const CACHE_STEP_TOKENS = 128;

export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

export function messageText(message: ChatMessage): string {
  const content = message.content;
  const contentText =
    typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join('');
  const argumentText = (message.tool_calls ?? []).map((call) => call.function.arguments).join('');
  return contentText + argumentText;
}

export function countPromptTokens(messages: readonly ChatMessage[]): number {
  return countTokens(messages.map(messageText).join(''));
}

/**
 * Counts cached input tokens: a leading system or developer message of at
 * least 1024 tokens counts as a cache hit, rounded down to 128-token steps.
 */
export function countCachedTokens(messages: readonly ChatMessage[]): number {
  const first = messages[0];
  if (first === undefined || (first.role !== 'system' && first.role !== 'developer')) return 0;
  const prefixTokens = countTokens(messageText(first));
  if (prefixTokens < MIN_CACHED_PREFIX_TOKENS) return 0;
  return Math.floor(prefixTokens / CACHE_STEP_TOKENS) * CACHE_STEP_TOKENS;
}
