/**
 * Literal starts of the secret and credential patterns, checked on the UTF-8
 * bytes of a token start by the trigger scan. Each list covers every way the
 * matching detector's pattern can begin, so a position that fails here cannot
 * match. The prefixes are ASCII, so a byte comparison equals a text comparison.
 */
const SECRET_PREFIXES: readonly string[] = [
  'sk-',
  'sk_',
  'rk_',
  'pk_',
  'whsec_',
  'AKIA',
  'ASIA',
  'ABIA',
  'ACCA',
  'AIza',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_',
  'xoxa-',
  'xoxb-',
  'xoxp-',
  'xoxo-',
  'xoxs-',
  'xoxr-',
  'https://hooks.slack.com/',
  'eyJ',
  'Bearer',
  'bearer',
];

/** Lowercase starts of the credential keywords; the credential pattern ignores case. */
const CREDENTIAL_PREFIXES: readonly string[] = [
  'pass',
  'pwd',
  'priv',
  'secr',
  'clie',
  'api',
  'acce',
  'auth',
  'x-ap',
  'refr',
];

const ASCII = 128;

function lowerByte(byte: number): number {
  return byte >= 65 && byte <= 90 ? byte | 0x20 : byte;
}

/** Indexes prefixes by their first two characters, so that most token starts are rejected by one array read. */
function indexByPair(prefixes: readonly string[]): (readonly number[][] | undefined)[] {
  const table: (number[][] | undefined)[] = new Array<number[][] | undefined>(ASCII * ASCII).fill(
    undefined,
  );
  for (const prefix of prefixes) {
    const slot = prefix.charCodeAt(0) * ASCII + prefix.charCodeAt(1);
    (table[slot] ??= []).push([...prefix].map((char) => char.charCodeAt(0)));
  }
  return table;
}

const SECRETS_BY_PAIR = indexByPair(SECRET_PREFIXES);
const CREDENTIALS_BY_PAIR = indexByPair(CREDENTIAL_PREFIXES);

/** Compares from the third byte on; the pair index has already matched the first two. */
function restMatches(
  bytes: Uint8Array,
  index: number,
  end: number,
  prefix: readonly number[],
  ignoreCase: boolean,
): boolean {
  if (index + prefix.length > end) return false;
  for (let offset = 2; offset < prefix.length; offset++) {
    const byte = bytes[index + offset]!;
    if ((ignoreCase ? lowerByte(byte) : byte) !== prefix[offset]) return false;
  }
  return true;
}

function matchesAny(
  bytes: Uint8Array,
  index: number,
  end: number,
  table: readonly (readonly number[][] | undefined)[],
  ignoreCase: boolean,
): boolean {
  if (index + 1 >= end) return false;
  const first = ignoreCase ? lowerByte(bytes[index]!) : bytes[index]!;
  const second = ignoreCase ? lowerByte(bytes[index + 1]!) : bytes[index + 1]!;
  if (first >= ASCII || second >= ASCII) return false;
  const prefixes = table[first * ASCII + second];
  if (prefixes === undefined) return false;
  for (const prefix of prefixes) {
    if (restMatches(bytes, index, end, prefix, ignoreCase)) return true;
  }
  return false;
}

/** True when a secret prefix such as `sk-`, `AKIA` or `Bearer` starts at byte `index`. */
export function hasSecretPrefixAt(bytes: Uint8Array, index: number, end: number): boolean {
  return matchesAny(bytes, index, end, SECRETS_BY_PAIR, false);
}

/** True when a credential keyword such as `password` or `API_KEY` may start at byte `index`, ignoring case. */
export function hasCredentialPrefixAt(bytes: Uint8Array, index: number, end: number): boolean {
  return matchesAny(bytes, index, end, CREDENTIALS_BY_PAIR, true);
}
