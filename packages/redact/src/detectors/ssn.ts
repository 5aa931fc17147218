import { textBefore, wholeMatch, type Detector } from './detector.ts';
import { candidatesFromRuns, codeBefore, codesOf, isWordOr, type RunFilter } from './digit-runs.ts';

/**
 * US Social Security numbers as AAA-GG-SSSS or AAA GG SSSS, and nine bare digits
 * when the text just before names them (`SSN`, `social security number`).
 */
const SSN = /(?<![\w-])(?:(\d{3})([- ])(\d{2})\2(\d{4})|(\d{3})(\d{2})(\d{4}))(?![\w]|-\d)/y;
const SSN_LOOKBEHIND = codesOf('-');

/** An SSN starts a run of three digits (grouped form) or nine digits (bare form). */
const ssnStart: RunFilter = (text, start, end, output) => {
  const length = end - start;
  if ((length !== 3 && length !== 9) || isWordOr(codeBefore(text, start), SSN_LOOKBEHIND)) return;
  output.push(start);
};
const SSN_CONTEXT = /(?:\bssn|social security(?: number| no\.?)?|soc\.? ?sec\.?)\W{0,4}$/i;

/** Applies the SSA rules: no area 000, 666 or 900-999, no group 00, no serial 0000. */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900) return false;
  return group !== '00' && serial !== '0000';
}

export const ssnDetector: Detector = {
  id: 'us_ssn',
  names: ['us_ssn'],
  candidates: (triggers, text) =>
    triggers.digitCount < 9 ? [] : candidatesFromRuns(text, triggers.digitRuns, ssnStart),
  prefilter: { source: '\\d{3}(?:[- ]\\d{2}[- ]\\d{4}|\\d{6})' },
  pattern: SSN,
  confirm(match, text) {
    if (match[1] !== undefined) {
      return isValidSsn(match[1], match[3]!, match[4]!) ? wholeMatch('us_ssn') : null;
    }
    if (!SSN_CONTEXT.test(textBefore(text, match.index, 32))) return null;
    return isValidSsn(match[5]!, match[6]!, match[7]!) ? wholeMatch('us_ssn') : null;
  },
};
