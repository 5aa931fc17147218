import { charFlags, HEX } from '../char-flags.ts';
import { textBefore, wholeMatch, type Detector } from './detector.ts';
import { candidatesFromRuns, codeBefore, codesOf, isWordOr, type RunFilter } from './digit-runs.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Four octets that are not part of a longer dotted number such as `1.2.3.4.5`. */
const IPV4 = new RegExp(`(?<![\\w.-])${OCTET}(?:\\.${OCTET}){3}(?![\\w-]|\\.\\d)`, 'y');
const IPV4_LOOKBEHIND = codesOf('.-');
const DOT = 46;
const COLON = 58;

/** An address starts with a run of one to three digits followed by a dot. */
const ipv4Start: RunFilter = (text, start, end, output) => {
  if (end - start > 3 || text.charCodeAt(end) !== DOT) return;
  if (!isWordOr(codeBefore(text, start), IPV4_LOOKBEHIND)) output.push(start);
};
/** Version numbers and product tokens (`version 1.2.3.4`, `Chrome/120.0.6099.109`). */
const VERSION_CONTEXT = /(?:\bv|\bver\.?|\bversion|\brelease|\bbuild|\bfirmware|[A-Za-z]\/)\s*$/i;

export const ipv4Detector: Detector = {
  id: 'ipv4',
  names: ['ipv4'],
  candidates: (triggers, text) =>
    triggers.hasDottedDigits && triggers.digitCount >= 4
      ? candidatesFromRuns(text, triggers.digitRuns, ipv4Start)
      : [],
  prefilter: { source: '\\d\\.\\d{1,3}\\.\\d{1,3}\\.\\d' },
  pattern: IPV4,
  confirm(match, text) {
    if (VERSION_CONTEXT.test(textBefore(text, match.index, 16))) return null;
    return wholeMatch('ipv4');
  },
};

/** Hex groups and colons, optionally ending in an embedded IPv4 address; validated in code. */
const IPV6_CANDIDATE =
  /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)?(?::[0-9A-Fa-f]{0,4}){2,7}(?::?(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/y;

/**
 * An address starts with up to four hex digits or a colon, so each colon after
 * a hex digit or a colon yields the start of the hex run before it and, after
 * `::`, the first colon. The pattern's lookbehind rejects starts inside a token.
 */
function ipv6Candidates(colons: readonly number[], text: string): number[] {
  const output: number[] = [];
  let last = -1;
  for (const colon of colons) {
    let start = colon;
    while (start > 0 && colon - start < 4 && (charFlags(text.charCodeAt(start - 1)) & HEX) !== 0)
      start--;
    if (codeBefore(text, start) === COLON && start - 1 > last) output.push(start - 1);
    if (start > last) output.push(start);
    last = output.at(-1) ?? -1;
  }
  return output;
}
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

/** True when at most four hex digits and a `:` follow the `:` at `colon`. */
function startsHexGroup(text: string, colon: number): boolean {
  for (let i = colon + 1; i <= colon + 5 && i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === COLON) return true;
    if ((charFlags(code) & HEX) === 0) return false;
  }
  return false;
}

function hasHexGroupBetweenColons(text: string): boolean {
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    if (startsHexGroup(text, at)) return true;
  }
  return false;
}

export const ipv6Detector: Detector = {
  id: 'ipv6',
  names: ['ipv6'],
  candidates: (triggers, text) =>
    triggers.hexColons.length >= 2 ? ipv6Candidates(triggers.hexColons, text) : [],
  // Two colons with at most four hex digits between them, as in `db8:` + `:` or `::`.
  prefilter: { source: ':[0-9A-Fa-f]{0,4}:', test: hasHexGroupBetweenColons },
  pattern: IPV6_CANDIDATE,
  confirm(match) {
    const candidate = match[0];
    return isIpv6(candidate) && looksLikeAddress(candidate) ? wholeMatch('ipv6') : null;
  },
};
