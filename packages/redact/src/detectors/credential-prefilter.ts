import type { DetectorPrefilter } from './detector.ts';

const ASCII = 128;

/** Spells each ASCII letter of a class-free, escape-free source as `[xX]`, for patterns combined with case-sensitive ones. */
function spellCaseInsensitive(source: string): string {
  if (/[\\[]/.test(source.replace(/\[_-\]/g, ''))) {
    throw new Error(
      `cannot spell "${source}" case-insensitively: it contains an escape or a class other than [_-]`,
    );
  }
  return source.replace(
    /[A-Za-z]/g,
    (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`,
  );
}

/** Returns the slot of a pair of ASCII codes in a 128 × 128 table. */
function pairIndex(first: number, second: number): number {
  return first * ASCII + second;
}

/** Marks the last two characters of each key, such as `rd` of `password`; the keys are lowercase. */
function keyEndings(keySource: string): Uint8Array {
  const endings = new Uint8Array(ASCII * ASCII);
  for (const key of keySource.split('|')) {
    endings[pairIndex(key.charCodeAt(key.length - 2), key.charCodeAt(key.length - 1))] = 1;
  }
  return endings;
}

function isBlankOrQuote(code: number): boolean {
  return code === 32 || code === 9 || code === 34 || code === 39;
}

/** Lowercases ASCII letters; other codes stay. */
function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code | 0x20 : code;
}

/**
 * Builds the prefilter of credential assignments for the lowercase key
 * alternatives `keySource`, such as `password|api[_-]?key`. Every assignment
 * has a `:` or `=` after a key, an optional quote and blanks. The source starts
 * at that sign and checks the key with a lookbehind, because signs are rarer
 * than the letters a key starts with. The long-text test visits each sign
 * with `indexOf` and checks the two characters before it (after blanks and
 * quotes) in a table before it runs the lookbehind there.
 */
export function assignmentPrefilter(keySource: string): DetectorPrefilter {
  const source = `(?<=(?:${spellCaseInsensitive(keySource)})["']?[ \\t]*)[:=]`;
  const keyBeforeSign = new RegExp(source, 'y');
  const endings = keyEndings(keySource);

  function followsKey(text: string, sign: number): boolean {
    let end = sign;
    while (end > 0 && isBlankOrQuote(text.charCodeAt(end - 1))) end--;
    if (end < 2) return false;
    const first = lowerCode(text.charCodeAt(end - 2));
    const second = lowerCode(text.charCodeAt(end - 1));
    if (first >= ASCII || second >= ASCII || endings[pairIndex(first, second)] === 0) return false;
    keyBeforeSign.lastIndex = sign;
    return keyBeforeSign.test(text);
  }

  function mayHoldAssignment(text: string): boolean {
    for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
      if (followsKey(text, at)) return true;
    }
    for (let at = text.indexOf('='); at !== -1; at = text.indexOf('=', at + 1)) {
      if (followsKey(text, at)) return true;
    }
    return false;
  }

  return { source, test: mayHoldAssignment };
}
