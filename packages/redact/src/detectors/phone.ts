import { continuesIbanShape, textBefore, wholeMatch, type Detector } from './detector.ts';
import { candidatesFromRuns, codeBefore, codesOf, isWordOr, type RunFilter } from './digit-runs.ts';

/**
 * Phone numbers in three shapes, each needing a `+` or separators so that bare
 * digit runs (Unix times, order numbers) stay: international with `+` (E.164
 * with or without separators), North American `(415) 555-2671` or
 * `415-555-2671`, and national numbers with a trunk 0 such as `020 7946 0958`
 * or `01 23 45 67 89`.
 */
const PHONE = new RegExp(
  [
    '(?<![\\w.+-])(?:',
    '\\+[1-9]\\d{0,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,6}',
    '|(?:1[ .-])?(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}',
    '|(?:0{1,2}[1-9]\\d{0,3}|\\(0[1-9]\\d{0,3}\\))(?:[ .-]\\d{2,8}){1,4}',
    ')(?![\\w]|[.-]\\d)',
  ].join(''),
  'y',
);
const PHONE_LOOKBEHIND = codesOf('.+-');
const PLUS = 43;
const OPENING_PARENTHESIS = 40;
const ZERO = 48;
const ONE = 49;

/**
 * A bare number starts with a `1` country prefix, a three-digit area code or a
 * trunk 0 with up to five more digits; `+` and `(` may come first.
 */
function mayStartPhone(text: string, start: number, end: number): boolean {
  const length = end - start;
  const first = text.charCodeAt(start);
  return (length === 1 && first === ONE) || length === 3 || (first === ZERO && length <= 6);
}

const phoneStart: RunFilter = (text, start, end, output) => {
  const before = codeBefore(text, start);
  if (
    (before === PLUS || before === OPENING_PARENTHESIS) &&
    !isWordOr(codeBefore(text, start - 1), PHONE_LOOKBEHIND)
  ) {
    output.push(start - 1);
  }
  if (!isWordOr(before, PHONE_LOOKBEHIND) && mayStartPhone(text, start, end)) output.push(start);
};
/** Words that introduce product codes and references, which look like phone numbers. */
const CODE_CONTEXT =
  /(?:\bsku|\bpart(?: ?no\.?| ?number| ?#)?|\bmodel|\border|\binvoice|\bref(?:erence)?|\bserial|\bisbn|\bticket|\btracking|\bitem|\bid|#)\W{0,3}$/i;

function digitCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}

/**
 * What each confirmed shape contains: a `+` number with at least 8 digits, the
 * ten digits of a North American number after its optional `1`, or `0[1-9]` and six more digits,
 * because `confirm` requires 9 digits of a number that starts with 0 (in a `00`
 * prefix the second 0 starts the `0[1-9]`). Between two digits the pattern
 * allows a `)`, one separator and a `(`.
 */
const PHONE_PREFILTER = [
  '\\+[1-9](?:\\)?[ .-]?\\(?\\d){7}',
  '\\d{3}(?:\\) ?|[ .-])\\d{3}[ .-]\\d{4}',
  '0[1-9](?:\\)?[ .-]?\\d){6}',
].join('|');

export const phoneDetector: Detector = {
  id: 'phone',
  names: ['phone'],
  candidates: (triggers, text) =>
    triggers.digitCount < 8 ? [] : candidatesFromRuns(text, triggers.digitRuns, phoneStart),
  prefilter: { source: PHONE_PREFILTER },
  pattern: PHONE,
  confirm(match, text) {
    const raw = match[0];
    const isInternational = raw.startsWith('+');
    if (isInternational || raw.startsWith('0') || raw.startsWith('(0')) {
      const digits = digitCount(raw);
      if (digits < (isInternational ? 8 : 9) || digits > 15) return null;
    }
    if (CODE_CONTEXT.test(textBefore(text, match.index, 24))) return null;
    if (continuesIbanShape(text, match.index)) return null;
    return wholeMatch('phone');
  },
};
