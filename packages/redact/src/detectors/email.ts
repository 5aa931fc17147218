import { wholeMatch, type Detector } from './detector.ts';

/**
 * Email addresses with a dotted domain and an alphabetic top-level domain. The
 * lookbehind makes each run of local-part characters start one attempt only,
 * so a long token without `@` costs linear time.
 */
const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

export const emailDetector: Detector = {
  id: 'email',
  names: ['email'],
  mayMatch: (_text, features) => features.hasAt,
  pattern: EMAIL,
  confirm: () => wholeMatch('email'),
};
