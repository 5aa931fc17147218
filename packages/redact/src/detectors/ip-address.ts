import { textBefore, wholeMatch, type Detector } from './detector.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Four octets that are not part of a longer dotted number such as `1.2.3.4.5`. */
const IPV4 = new RegExp(`(?<![\\w.-])${OCTET}(?:\\.${OCTET}){3}(?![\\w-]|\\.\\d)`, 'g');
/** Version numbers and product tokens (`version 1.2.3.4`, `Chrome/120.0.6099.109`). */
const VERSION_CONTEXT = /(?:\bv|\bver\.?|\bversion|\brelease|\bbuild|\bfirmware|[A-Za-z]\/)\s*$/i;

export const ipv4Detector: Detector = {
  id: 'ipv4',
  names: ['ipv4'],
  mayMatch: (_text, features) => features.hasDottedDigits && features.digitCount >= 4,
  pattern: IPV4,
  confirm(match, text) {
    if (VERSION_CONTEXT.test(textBefore(text, match.index, 16))) return null;
    return wholeMatch('ipv4');
  },
};

/** Hex groups and colons, optionally ending in an embedded IPv4 address; validated in code. */
const IPV6_CANDIDATE =
  /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)?(?::[0-9A-Fa-f]{0,4}){2,7}(?::?(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/g;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const EMBEDDED_IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

function validGroups(groups: string[]): boolean {
  return groups.every((group) => HEX_GROUP.test(group));
}

/** Counts the 16-bit groups of an address part, where an embedded IPv4 address counts as two. */
function groupCount(part: string, isTail: boolean): number | null {
  if (part === '') return 0;
  const groups = part.split(':');
  const last = groups[groups.length - 1]!;
  if (isTail && last.includes('.')) {
    if (!EMBEDDED_IPV4.test(last)) return null;
    groups.pop();
    return validGroups(groups) ? groups.length + 2 : null;
  }
  return validGroups(groups) ? groups.length : null;
}

/** True for a syntactically valid IPv6 address (RFC 4291 text form, no zone index). */
export function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) return groupCount(text, true) === 8;
  const head = groupCount(halves[0]!, false);
  const tail = groupCount(halves[1]!, true);
  return head !== null && tail !== null && head + tail <= 7;
}

/** Leaves `::`, `::1` and short forms like `a::b`, which are loopback or read as code. */
function looksLikeAddress(text: string): boolean {
  const groups = text.split(':').filter((group) => group !== '');
  if (groups.length >= 3) return true;
  return text.includes('::') && groups.length === 2 && /\d/.test(text) && text !== '::1';
}

export const ipv6Detector: Detector = {
  id: 'ipv6',
  names: ['ipv6'],
  mayMatch: (_text, features) => features.hexColonCount >= 2,
  pattern: IPV6_CANDIDATE,
  confirm(match) {
    const candidate = match[0];
    return isIpv6(candidate) && looksLikeAddress(candidate) ? wholeMatch('ipv6') : null;
  },
};
