import { CHAR_FLAGS, DIGIT, HEX, TRIGGER, WORD } from './char-flags.ts';
import { credentialStartsBefore, secretStartAt, secretStartBefore } from './trigger-lookback.ts';

/**
 * The positions in a string where a built-in detector can start a match, found
 * in one pass. Detectors run their patterns only at these positions (or near
 * them), so text without triggers costs one pass and no regular expression.
 */
export interface Triggers {
  digitCount: number;
  /** A digit, a dot and a digit in a row, as in `10.0`. */
  hasDottedDigits: boolean;
  /** Maximal runs of ASCII digits as flat pairs: start, end (exclusive), start, end, ... */
  digitRuns: number[];
  /** Positions of `@`. */
  atSigns: number[];
  /** Colons after a hex digit or another colon, as in `db8:` or `::`. */
  hexColons: number[];
  /** Token starts (after no `[A-Za-z0-9_-]`) where a secret prefix begins. */
  secretStarts: number[];
  /** Token starts (after no `[A-Za-z0-9_]`) where a credential keyword may begin. */
  credentialStarts: number[];
}

const NO_POSITIONS: readonly number[] = Object.freeze([]);
const HYPHEN = 45;
const DOT = 46;
const COLON = 58;
const EQUALS = 61;
const AT = 64;
const UNDERSCORE = 95;
const UPPER_B = 66;
const UPPER_J = 74;
const LOWER_B = 98;
const LOWER_S = 115;

/** UTF-8 needs at most three bytes per UTF-16 code unit. */
const MAX_UTF8_BYTES_PER_UNIT = 3;
/** The scratch buffer is kept up to this size; longer strings get a buffer of their own. */
const MAX_KEPT_SCRATCH_BYTES = 1 << 20;
const encoder = new TextEncoder();
let scratch = new Uint8Array(1 << 14);
let scratchWords = new Uint32Array(scratch.buffer);

/**
 * Encodes `text` as UTF-8 into a reused buffer. Reading bytes from a typed
 * array measured about three times faster than `charCodeAt` in Node 20, and the encoding
 * itself runs in native code.
 */
function encodeUtf8(text: string): { bytes: Uint8Array; words: Uint32Array; length: number } {
  const needed = text.length * MAX_UTF8_BYTES_PER_UNIT;
  let bytes = scratch;
  let words = scratchWords;
  if (needed > scratch.length) {
    bytes = new Uint8Array(Math.ceil(needed / 4) * 4);
    words = new Uint32Array(bytes.buffer);
    if (needed <= MAX_KEPT_SCRATCH_BYTES) {
      scratch = bytes;
      scratchWords = words;
    }
  }
  return { bytes, words, length: encoder.encodeInto(text, bytes).written };
}

function isDigitByte(byte: number): boolean {
  return byte >= 48 && byte <= 57;
}

/** UTF-8 bytes minus UTF-16 code units of the sequence this lead byte starts: 2 bytes give 1 unit, 3 give 1, 4 give 2. */
function unitShortfall(leadByte: number): number {
  if (leadByte >= 0xe0) return 2;
  return leadByte >= 0xc0 ? 1 : 0;
}

/** Growable position lists, created on first use so that most strings allocate none. */
class PositionLists {
  digitRuns: number[] | null = null;
  atSigns: number[] | null = null;
  hexColons: number[] | null = null;
  secretStarts: number[] | null = null;
  credentialStarts: number[] | null = null;

  addSecret(start: number, shortfall: number): void {
    if (start >= 0) (this.secretStarts ??= []).push(start - shortfall);
  }
}

function toTriggers(lists: PositionLists, digitCount: number, hasDottedDigits: boolean): Triggers {
  return {
    digitCount,
    hasDottedDigits,
    digitRuns: lists.digitRuns ?? (NO_POSITIONS as number[]),
    atSigns: lists.atSigns ?? (NO_POSITIONS as number[]),
    hexColons: lists.hexColons ?? (NO_POSITIONS as number[]),
    secretStarts: lists.secretStarts ?? (NO_POSITIONS as number[]),
    credentialStarts: lists.credentialStarts ?? (NO_POSITIONS as number[]),
  };
}

/** Records the triggers of one `:` byte: IPv6 groups, `https://hooks.slack.com/` and credential assignments. */
function onColon(
  lists: PositionLists,
  bytes: Uint8Array,
  i: number,
  length: number,
  shortfall: number,
): void {
  const previous = i === 0 ? 0 : bytes[i - 1]!;
  if (previous === COLON || (CHAR_FLAGS[previous]! & HEX) !== 0)
    (lists.hexColons ??= []).push(i - shortfall);
  if (i >= 5 && previous === LOWER_S)
    lists.addSecret(secretStartAt(bytes, i - 5, length), shortfall);
  credentialStartsBefore(bytes, i, length, shortfall, (lists.credentialStarts ??= []));
}

/**
 * Records the triggers of one byte that is neither a digit nor plain text.
 * Secret and credential starts lie before or at `i`; each look-back stops at
 * the previous trigger byte, so the positions stay in ascending order.
 */
function onTriggerByte(
  lists: PositionLists,
  bytes: Uint8Array,
  i: number,
  length: number,
  shortfall: number,
): void {
  const byte = bytes[i]!;
  switch (byte) {
    case AT:
      (lists.atSigns ??= []).push(i - shortfall);
      return;
    case COLON:
      onColon(lists, bytes, i, length, shortfall);
      return;
    case EQUALS:
      credentialStartsBefore(bytes, i, length, shortfall, (lists.credentialStarts ??= []));
      return;
    case HYPHEN:
    case UNDERSCORE:
      lists.addSecret(secretStartBefore(bytes, i, length), shortfall);
      return;
    case UPPER_J:
      if (i >= 2) lists.addSecret(secretStartAt(bytes, i - 2, length), shortfall);
      return;
    default:
      lists.addSecret(secretStartAt(bytes, i, length), shortfall);
  }
}

const LOW_BITS = 0x01010101;
const HIGH_BITS = 0x80808080;
const SEVEN_BITS = 0x7f7f7f7f;

function hasZeroByte(word: number): boolean {
  return ((word - LOW_BITS) & ~word & HIGH_BITS) !== 0;
}

/**
 * True when any of the four bytes of `word` may be a trigger byte. Those are
 * bytes from 0x80 on, bytes from `-` (0x2D) to `A` (0x41), which cover `.`,
 * `/`, digits, `:`, `=` and `@`, and the bytes `J` and `_`. The range test is
 * the SWAR "has a byte between" bit trick for 7-bit bytes, so four bytes cost
 * about twenty integer operations.
 */
function mayHoldTrigger(word: number): boolean {
  if ((word & HIGH_BITS) !== 0) return true;
  const low = word & SEVEN_BITS;
  const between =
    (LOW_BITS * (127 + 0x42) - low) & ~word & (low + LOW_BITS * (127 - 0x2c)) & HIGH_BITS;
  if (between !== 0) return true;
  return hasZeroByte(word ^ (LOW_BITS * 0x4a)) || hasZeroByte(word ^ (LOW_BITS * 0x5f));
}

/** Mutable state of one scan, shared by the word loop and the byte handler. */
interface ScanState {
  lists: PositionLists;
  digitCount: number;
  hasDottedDigits: boolean;
  /** Bytes so far minus UTF-16 code units so far; a byte index minus it is the text index. */
  shortfall: number;
}

/** Handles the byte at `i` and returns the index of the next byte to look at. */
function scanByte(state: ScanState, bytes: Uint8Array, i: number, length: number): number {
  const byte = bytes[i]!;
  const flags = CHAR_FLAGS[byte]!;
  if ((flags & TRIGGER) === 0) return i + 1;
  if ((flags & DIGIT) !== 0) {
    let end = i + 1;
    while (end < length && (CHAR_FLAGS[bytes[end]!]! & DIGIT) !== 0) end++;
    state.digitCount += end - i;
    (state.lists.digitRuns ??= []).push(i - state.shortfall, end - state.shortfall);
    if (i >= 2 && bytes[i - 1] === DOT && isDigitByte(bytes[i - 2]!)) state.hasDottedDigits = true;
    return end;
  }
  if (byte >= 0x80) state.shortfall += unitShortfall(byte);
  else onTriggerByte(state.lists, bytes, i, length, state.shortfall);
  return i + 1;
}

function isSecretBoundaryCode(code: number): boolean {
  return code !== HYPHEN && (code >= 128 || (CHAR_FLAGS[code]! & WORD) === 0);
}

/**
 * Adds the starts of `Bearer` and `bearer` tokens. Their letters are common in
 * prose, so instead of stopping at every `b` the scan searches the literal
 * `earer` with the native `indexOf`, which has no per-character cost in
 * JavaScript, and merges the rare hits into the sorted secret starts.
 */
function addBearerStarts(text: string, lists: PositionLists): void {
  let found = false;
  for (let at = text.indexOf('earer', 1); at !== -1; at = text.indexOf('earer', at + 5)) {
    const start = at - 1;
    const first = text.charCodeAt(start);
    if (first !== UPPER_B && first !== LOWER_B) continue;
    if (start > 0 && !isSecretBoundaryCode(text.charCodeAt(start - 1))) continue;
    (lists.secretStarts ??= []).push(start);
    found = true;
  }
  if (found) lists.secretStarts!.sort((a, b) => a - b);
}

/**
 * NOTE: with this scan the default policy keeps 40 to 50 % of the
 * decode-and-enrich throughput on 3 KB spans (bench/redact/redact-bench.ts),
 * short of the 70 % goal. The per-byte visit itself is most of the cost.
 *
 * Scans the UTF-8 bytes of `text` once and returns every trigger position as a
 * UTF-16 index. Four bytes at a time are tested for possible trigger bytes, and
 * only words that may contain one are read byte by byte. From a trigger byte
 * the scan looks back for the token that a secret prefix or credential
 * keyword would start. Bytes of non-ASCII characters carry no flags besides
 * the count that maps byte indexes to text indexes, which matches the
 * patterns: to them, every non-ASCII character is a non-word character.
 */
export function scanTriggers(text: string): Triggers {
  const { bytes, words, length } = encodeUtf8(text);
  const state: ScanState = {
    lists: new PositionLists(),
    digitCount: 0,
    hasDottedDigits: false,
    shortfall: 0,
  };
  const wordCount = length >>> 2;
  let next = 0;
  for (let w = 0; w < wordCount; w++) {
    const wordEnd = (w + 1) << 2;
    if (next >= wordEnd || !mayHoldTrigger(words[w]!)) continue;
    next = Math.max(next, w << 2);
    while (next < wordEnd) {
      next =
        (CHAR_FLAGS[bytes[next]!]! & TRIGGER) === 0
          ? next + 1
          : scanByte(state, bytes, next, length);
    }
  }
  next = Math.max(next, wordCount << 2);
  while (next < length) next = scanByte(state, bytes, next, length);
  addBearerStarts(text, state.lists);
  return toTriggers(state.lists, state.digitCount, state.hasDottedDigits);
}
