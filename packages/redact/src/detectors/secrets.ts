import type { Detector, Finding } from './detector.ts';
import { SECRET_PREFILTER } from './secret-prefilter.ts';

/**
 * Provider keys and tokens by their documented prefixes, in one pattern that runs at
 * each token start where the trigger scan found one of the prefixes. The group names are the detector names reported.
 */
const SECRET_PATTERNS: readonly [name: string, source: string][] = [
  ['anthropic_key', 'sk-ant-[A-Za-z0-9_-]{20,}'],
  ['openai_key', 'sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}'],
  ['google_api_key', 'AIza[0-9A-Za-z_-]{35}'],
  ['aws_access_key_id', '(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}'],
  ['github_token', 'gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}'],
  [
    'slack_token',
    'xox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\\.slack\\.com/services/[A-Za-z0-9_/]{20,}',
  ],
  ['stripe_key', '(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{16,}'],
  ['jwt', 'eyJ[A-Za-z0-9_-]{6,}\\.[A-Za-z0-9_-]{6,}\\.[A-Za-z0-9_-]{8,}'],
  ['bearer_token', '[Bb]earer[ \\t]+[A-Za-z0-9._~+/-]{8,}=*'],
];
const SECRETS = new RegExp(
  `(?<![A-Za-z0-9_-])(?:${SECRET_PATTERNS.map(([name, source]) => `(?<${name}>${source})`).join('|')})(?![A-Za-z0-9_-])`,
  'y',
);
const BEARER_PREFIX = /^[Bb]earer[ \t]+/;

/** True when the first part of a JWT decodes to a JSON object with `alg` or `typ`. */
export function hasJwtHeader(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && ('alg' in parsed || 'typ' in parsed);
  } catch {
    return false;
  }
}

function matchedName(match: RegExpExecArray): string | null {
  const groups = match.groups ?? {};
  for (const [name] of SECRET_PATTERNS) {
    if (groups[name] !== undefined) return name;
  }
  return null;
}

export const secretDetector: Detector = {
  id: 'secrets',
  names: SECRET_PATTERNS.map(([name]) => name),
  candidates: (triggers) => triggers.secretStarts,
  prefilter: SECRET_PREFILTER,
  pattern: SECRETS,
  confirm(match): Finding | null {
    const name = matchedName(match);
    if (name === null) return null;
    if (name === 'jwt' && !hasJwtHeader(match[0])) return null;
    const keptPrefixLength = name === 'bearer_token' ? BEARER_PREFIX.exec(match[0])![0].length : 0;
    return { name, keptPrefixLength };
  },
};
