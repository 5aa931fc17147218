import { passesLuhn } from './luhn.ts';
import { continuesIbanShape, wholeMatch, type Detector } from './detector.ts';
import { candidatesFromRuns, codeBefore, codesOf, isWordOr, type RunFilter } from './digit-runs.ts';

/**
 * 13 to 19 digits, optionally grouped by single spaces or dashes. The first digit
 * is 2 to 6, which covers Visa, Mastercard, American Express, Discover, JCB,
 * Diners Club and UnionPay; numbers starting with 0, 1, 7, 8 or 9 are left alone.
 */
const CARD = /(?<![\w.,-])[2-6](?:\d[ -]?){11,17}\d(?![\w]|[.,-]\d)/y;
const CARD_LOOKBEHIND = codesOf('.,-');

/** A card starts a digit run with 2 to 6, after a character the pattern's lookbehind allows. */
const cardStart: RunFilter = (text, start, _end, output) => {
  const first = text.charCodeAt(start);
  if (first < 50 || first > 54 || isWordOr(codeBefore(text, start), CARD_LOOKBEHIND)) return;
  output.push(start);
};

/** Group lengths printed on cards: 16 and 19 digits in fours, American Express 4-6-5, Diners Club 4-6-4 and 4-4-4-2. */
const CARD_LAYOUTS: ReadonlySet<string> = new Set([
  '4-4-4-4',
  '4-4-4-4-3',
  '4-4-4-3',
  '4-4-4-2',
  '4-4-4-1',
  '4-6-5',
  '4-6-4',
]);

/** True for an unseparated number or one grouped in a card layout with one kind of separator. */
function hasCardLayout(match: string): boolean {
  const hasSpace = match.includes(' ');
  const hasDash = match.includes('-');
  if (!hasSpace && !hasDash) return true;
  if (hasSpace && hasDash) return false;
  const layout = match
    .split(hasSpace ? ' ' : '-')
    .map((group) => group.length)
    .join('-');
  return CARD_LAYOUTS.has(layout);
}

export const paymentCardDetector: Detector = {
  id: 'payment_card',
  names: ['payment_card'],
  candidates: (triggers, text) =>
    triggers.digitCount < 13 ? [] : candidatesFromRuns(text, triggers.digitRuns, cardStart),
  // The first 13 digits of the pattern, which allows a separator after every digit but the first.
  prefilter: { source: '[2-6]\\d(?:[ -]?\\d){11}' },
  pattern: CARD,
  confirm(match, text) {
    const raw = match[0];
    if (!hasCardLayout(raw) || continuesIbanShape(text, match.index)) return null;
    const digits = raw.replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19) return null;
    return passesLuhn(digits) ? wholeMatch('payment_card') : null;
  },
};
