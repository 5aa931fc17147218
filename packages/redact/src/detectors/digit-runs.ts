import { ALPHANUMERIC, charFlags, UPPER, WORD } from '../char-flags.ts';

/** Decides whether a digit run from `start` to `end` (exclusive) may start a match, and where. */
export type RunFilter = (text: string, start: number, end: number, output: number[]) => void;

/**
 * Collects candidate positions from the digit runs of the triggers, in order.
 * Every numeric detector's pattern begins at a digit run or one or two
 * characters before it, so the filters only need to look at each run's edges.
 */
export function candidatesFromRuns(
  text: string,
  runs: readonly number[],
  filter: RunFilter,
): number[] {
  const output: number[] = [];
  for (let i = 0; i < runs.length; i += 2) filter(text, runs[i]!, runs[i + 1]!, output);
  return output;
}

/** The UTF-16 code unit before `index`, or 0 at the start of the text. */
export function codeBefore(text: string, index: number): number {
  return index === 0 ? 0 : text.charCodeAt(index - 1);
}

/** Returns the character codes of `chars`, for `isWordOr`. */
export function codesOf(chars: string): readonly number[] {
  return [...chars].map((char) => char.charCodeAt(0));
}

/** True when the code unit is in `[A-Za-z0-9_]` or among `extraCodes`, the set a pattern's lookbehind rejects. */
export function isWordOr(code: number, extraCodes: readonly number[]): boolean {
  return (charFlags(code) & WORD) !== 0 || extraCodes.includes(code);
}

/** True for `[A-Za-z0-9]`, the characters the IBAN lookbehind rejects. */
export function isAlphanumericCode(code: number): boolean {
  return (charFlags(code) & ALPHANUMERIC) !== 0;
}

export function isUpperCode(code: number): boolean {
  return (charFlags(code) & UPPER) !== 0;
}
