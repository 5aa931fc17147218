import { ALPHANUMERIC, CHAR_FLAGS, WORD } from './char-flags.ts';
import { hasCredentialPrefixAt, hasSecretPrefixAt } from './keyword-prefix.ts';

const HYPHEN = 45;
const SPACE = 32;
const TAB = 9;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
/** The longest secret prefix before its first `-` or `_` is `github`. */
const MAX_SECRET_HEAD_BYTES = 6;
/** The longest credential keyword is `authorization` and `client_secret`, 13 bytes. */
const MAX_CREDENTIAL_KEYWORD_BYTES = 13;

function hasFlag(byte: number, flag: number): boolean {
  return (CHAR_FLAGS[byte]! & flag) !== 0;
}

/** True when no `[A-Za-z0-9_-]` precedes `index`, the lookbehind of the secret patterns. */
function isSecretBoundary(bytes: Uint8Array, index: number): boolean {
  if (index === 0) return true;
  const previous = bytes[index - 1]!;
  return previous !== HYPHEN && !hasFlag(previous, WORD);
}

/** Returns where a secret prefix such as `sk-`, `ghp_` or `xoxb-` starts before the separator at `index`, or -1. */
export function secretStartBefore(bytes: Uint8Array, index: number, end: number): number {
  let start = index;
  while (
    start > 0 &&
    index - start < MAX_SECRET_HEAD_BYTES &&
    hasFlag(bytes[start - 1]!, ALPHANUMERIC)
  )
    start--;
  if (start === index || !isSecretBoundary(bytes, start)) return -1;
  return hasSecretPrefixAt(bytes, start, end) ? start : -1;
}

/** Returns the secret start at `index` when a prefix such as `AKIA` or `Bearer` begins a token there, or -1. */
export function secretStartAt(bytes: Uint8Array, index: number, end: number): number {
  return isSecretBoundary(bytes, index) && hasSecretPrefixAt(bytes, index, end) ? index : -1;
}

/**
 * Pushes, in ascending order, the starts of credential keywords that end
 * before the `:` or `=` at `index`, as in `password=`, `"api_key": ` or
 * `X-API-KEY:`. The pattern allows one quote and then spaces or tabs between
 * keyword and sign, and a keyword may follow a `-` inside a longer name.
 */
export function credentialStartsBefore(
  bytes: Uint8Array,
  index: number,
  end: number,
  shortfall: number,
  output: number[],
): void {
  let keywordEnd = index;
  while (keywordEnd > 0 && (bytes[keywordEnd - 1] === SPACE || bytes[keywordEnd - 1] === TAB))
    keywordEnd--;
  const quote = bytes[keywordEnd - 1];
  if (keywordEnd > 0 && (quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE)) keywordEnd--;
  let start = keywordEnd;
  while (
    start > 0 &&
    keywordEnd - start < MAX_CREDENTIAL_KEYWORD_BYTES + 2 &&
    isNamePart(bytes[start - 1]!)
  )
    start--;
  for (let position = start; position < keywordEnd; position++) {
    if (position > 0 && hasFlag(bytes[position - 1]!, WORD)) continue;
    if (hasCredentialPrefixAt(bytes, position, end)) output.push(position - shortfall);
  }
}

function isNamePart(byte: number): boolean {
  return byte === HYPHEN || hasFlag(byte, WORD);
}
