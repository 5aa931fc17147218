/** Bit flags for ASCII characters, looked up once per byte by the trigger scan; bytes from 128 on have none. */
export const DIGIT = 1;
export const HEX = 2;
/** `[A-Za-z0-9_]`, the characters of `\w` in a JavaScript regular expression. */
export const WORD = 4;
export const UPPER = 8;
/** `[A-Za-z0-9]`. */
export const ALPHANUMERIC = 16;
/**
 * Bytes the trigger scan stops at: digits, `@`, `:`, `=`, `-`, `_`, the
 * letters `A` and `J` that begin or mark secret prefixes, and lead bytes of
 * non-ASCII characters. Every other byte is skipped with one lookup.
 */
export const TRIGGER = 64;

function buildFlags(): Uint8Array {
  const flags = new Uint8Array(256);
  const mark = (chars: string, flag: number): void => {
    for (const char of chars) flags[char.charCodeAt(0)]! |= flag;
  };
  const digits = '0123456789';
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const upper = lower.toUpperCase();
  mark(digits, DIGIT | HEX | WORD);
  mark('abcdefABCDEF', HEX);
  mark(`${lower}${upper}_`, WORD);
  mark(upper, UPPER);
  mark(`${digits}${lower}${upper}`, ALPHANUMERIC);
  mark(`${digits}@:=-_AJ`, TRIGGER);
  for (let byte = 0xc0; byte < 0x100; byte++) flags[byte]! |= TRIGGER;
  return flags;
}

export const CHAR_FLAGS: Uint8Array = buildFlags();

/** Returns the flags of a UTF-16 code unit; characters outside ASCII have none. */
export function charFlags(code: number): number {
  return code < 128 ? CHAR_FLAGS[code]! : 0;
}
