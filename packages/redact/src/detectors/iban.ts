import { wholeMatch, type Detector } from './detector.ts';
import {
  candidatesFromRuns,
  codeBefore,
  isAlphanumericCode,
  isUpperCode,
  type RunFilter,
} from './digit-runs.ts';

/**
 * A country code, two check digits and 11 to 30 more letters or digits, written
 * in groups of four separated by single spaces or not at all.
 */
const IBAN =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/y;

/** An IBAN's two check digits follow its two-letter country code at the start of a token. */
const ibanStart: RunFilter = (text, start, end, output) => {
  if (end - start < 2 || start < 2) return;
  if (!isUpperCode(text.charCodeAt(start - 2)) || !isUpperCode(text.charCodeAt(start - 1))) return;
  if (isAlphanumericCode(codeBefore(text, start - 2))) return;
  output.push(start - 2);
};

/** Computes the ISO 13616 checksum: the rearranged number modulo 97 must be 1. */
export function passesIbanChecksum(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    const value = code <= 57 ? code - 48 : code - 55;
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

export const ibanDetector: Detector = {
  id: 'iban',
  names: ['iban'],
  // Every IBAN format has at least six digits: two check digits and a numeric bank or account part.
  candidates: (triggers, text) =>
    triggers.digitCount < 6 ? [] : candidatesFromRuns(text, triggers.digitRuns, ibanStart),
  // Country code, check digits and two groups of four: the shortest IBAN has 15 characters.
  prefilter: { source: '[A-Z]{2}\\d\\d ?[A-Z0-9]{4} ?[A-Z0-9]{4}' },
  pattern: IBAN,
  confirm(match) {
    const compact = match[0].replace(/ /g, '');
    if (compact.length < 15 || compact.length > 34) return null;
    return passesIbanChecksum(compact) ? wholeMatch('iban') : null;
  },
};
