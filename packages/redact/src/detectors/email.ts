import { wholeMatch, type Detector } from './detector.ts';

/**
 * Email addresses with a dotted domain and an alphabetic top-level domain. The
 * lookbehind makes each run of local-part characters start one attempt only,
 * so a long token without `@` costs linear time.
 */
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;
const MAX_LOCAL_PART_CHARS = 64;

function isLocalPartCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 46 ||
    code === 95 ||
    code === 37 ||
    code === 43 ||
    code === 45
  );
}

/** The pattern's lookbehind makes a match start where the run of local-part characters before an `@` starts. */
function emailCandidates(atSigns: readonly number[], text: string): number[] {
  const output: number[] = [];
  for (const at of atSigns) {
    let start = at;
    while (
      start > 0 &&
      at - start <= MAX_LOCAL_PART_CHARS &&
      isLocalPartCode(text.charCodeAt(start - 1))
    )
      start--;
    if (start < at && at - start <= MAX_LOCAL_PART_CHARS && start > (output.at(-1) ?? -1))
      output.push(start);
  }
  return output;
}

function startsDomain(text: string, at: number): boolean {
  const code = text.charCodeAt(at + 1);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function hasAtSignBeforeDomain(text: string): boolean {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (startsDomain(text, at)) return true;
  }
  return false;
}

export const emailDetector: Detector = {
  id: 'email',
  names: ['email'],
  candidates: (triggers, text) => emailCandidates(triggers.atSigns, text),
  prefilter: { source: '@[A-Za-z0-9]', test: hasAtSignBeforeDomain },
  pattern: EMAIL,
  confirm: () => wholeMatch('email'),
};
