import type { DetectorPrefilter } from './detector.ts';

/**
 * Every secret contains one of these parts. They are the `-` or `_` that ends
 * a prefix such as `sk-`, `ghp_`, `github_`, `whsec_` or `xoxb-`, an AWS or
 * Google key prefix, the `J` of `eyJ`, the `//` of the Slack webhook URL, and
 * `Bearer` with a blank. The separator and `J` alternatives start at that rare
 * character and check the prefix before it with a lookbehind.
 */
const SECRET_PREFILTER_SOURCE = [
  '[-_](?<=(?:sk|xox[abposr])-|(?:[srp]k|gh[pousr]|github|whsec)_)',
  'A(?:KIA|SIA|BIA|CCA|Iza)',
  'J(?<=eyJ)',
  '//hooks\\.slack\\.com/',
  '[Bb]earer[ \\t]',
].join('|');
const KEY_PREFIX_TAILS = ['KIA', 'SIA', 'BIA', 'CCA', 'Iza'];
const BEARER_WORDS = ['Bearer', 'bearer'];

/** True when `text` contains `literal` at `index`; false for a negative index, which `startsWith` would treat as 0. */
function hasAt(text: string, literal: string, index: number): boolean {
  return index >= 0 && text.startsWith(literal, index);
}

function endsDashPrefix(text: string, dash: number): boolean {
  return (
    hasAt(text, 'sk', dash - 2) ||
    (hasAt(text, 'xox', dash - 4) && 'abposr'.includes(text[dash - 1]!))
  );
}

function endsUnderscorePrefix(text: string, underscore: number): boolean {
  const letter = text[underscore - 1];
  if (letter === 'k') return 'srp'.includes(text[underscore - 2] ?? ' ');
  if (letter !== undefined && 'pousr'.includes(letter) && hasAt(text, 'gh', underscore - 3))
    return true;
  return hasAt(text, 'github', underscore - 6) || hasAt(text, 'whsec', underscore - 5);
}

function startsKeyPrefix(text: string, letterA: number): boolean {
  return KEY_PREFIX_TAILS.some((tail) => text.startsWith(tail, letterA + 1));
}

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/**
 * Visits each `-` and `_` with `indexOf`. This loop and the ones below are
 * written out, not shared through a callback, so that V8 inlines each check.
 */
function hasPrefixSeparator(text: string): boolean {
  for (let at = text.indexOf('-'); at !== -1; at = text.indexOf('-', at + 1)) {
    if (endsDashPrefix(text, at)) return true;
  }
  for (let at = text.indexOf('_'); at !== -1; at = text.indexOf('_', at + 1)) {
    if (endsUnderscorePrefix(text, at)) return true;
  }
  return false;
}

function hasLetterPrefix(text: string): boolean {
  for (let at = text.indexOf('A'); at !== -1; at = text.indexOf('A', at + 1)) {
    if (startsKeyPrefix(text, at)) return true;
  }
  for (let at = text.indexOf('J'); at !== -1; at = text.indexOf('J', at + 1)) {
    if (hasAt(text, 'ey', at - 2)) return true;
  }
  return false;
}

function hasBearer(text: string): boolean {
  for (const word of BEARER_WORDS) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 6)) {
      if (isBlank(text[at + 6])) return true;
    }
  }
  return false;
}

/** Passes what `SECRET_PREFILTER_SOURCE` matches, found with `indexOf` for long texts. */
function mayHoldSecret(text: string): boolean {
  return (
    hasPrefixSeparator(text) ||
    hasLetterPrefix(text) ||
    text.includes('//hooks.slack.com/') ||
    hasBearer(text)
  );
}

/** The prefilter of the secret detector. */
export const SECRET_PREFILTER: DetectorPrefilter = {
  source: SECRET_PREFILTER_SOURCE,
  test: mayHoldSecret,
};
