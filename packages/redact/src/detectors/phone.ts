import { continuesIbanShape, textBefore, wholeMatch, type Detector } from './detector.ts';

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
  'g',
);
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

export const phoneDetector: Detector = {
  id: 'phone',
  names: ['phone'],
  mayMatch: (_text, features) => features.digitCount >= 8,
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
