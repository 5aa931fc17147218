import { assignmentPrefilter } from './credential-prefilter.ts';
import type { Detector } from './detector.ts';

/** Key names whose values are credentials, in assignments and in JSON objects. */
export const CREDENTIAL_KEY_SOURCE =
  'password|passwd|pwd|passphrase|secret|client[_-]?secret|api[_-]?key|apikey|x-api-key|access[_-]?token|auth[_-]?token|refresh[_-]?token|private[_-]?key|authorization';
const CREDENTIAL_KEY = new RegExp(`^(?:${CREDENTIAL_KEY_SOURCE})$`, 'i');

/**
 * `password=hunter2`, `api_key: abc`, `"secret": "abc"`: the key and separator stay,
 * the value (four or more characters up to a space, quote or delimiter) is replaced.
 * An HTTP auth scheme word (`Basic`, `Bearer`) stays, and a value already replaced stays.
 */
const ASSIGNMENT = new RegExp(
  `(?<![A-Za-z0-9_])(?:${CREDENTIAL_KEY_SOURCE})["']?[ \\t]*[:=][ \\t]*["']?(?:(?:Basic|Bearer|Token)[ \\t]+)?(?!(?:Basic|Bearer|Token)[ \\t])([^\\s"'&,;<>[][^\\s"'&,;<>]{3,})`,
  'iy',
);

/** True when an object key or the last segment of an attribute key names a credential. */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL_KEY.test(key);
}

export const credentialDetector: Detector = {
  id: 'credential',
  names: ['credential'],
  candidates: (triggers) => triggers.credentialStarts,
  prefilter: assignmentPrefilter(CREDENTIAL_KEY_SOURCE),
  pattern: ASSIGNMENT,
  confirm(match) {
    return { name: 'credential', keptPrefixLength: match[0].length - match[1]!.length };
  },
};
