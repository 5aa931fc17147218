import type { Detector, DetectorPrefilter } from './detectors/detector.ts';

/** Decides whether a text may hold something that one of the detectors replaces. */
export type MatchPrefilter = (text: string) => boolean;

/**
 * Texts from this length on use the `indexOf` tests of the prefilters that
 * have them. Shorter texts use one regular expression that combines all
 * sources, which costs less than the dozen `indexOf` calls of the tests.
 */
const LONG_TEXT_CHARS = 256;

function combine(prefilters: readonly DetectorPrefilter[], flags: string): RegExp | null {
  if (prefilters.length === 0) return null;
  return new RegExp(prefilters.map((prefilter) => `(?:${prefilter.source})`).join('|'), flags);
}

/** Builds the long-text check: each `test` runs as is, and the sources of the other prefilters form one regular expression. */
function createLongTextCheck(prefilters: readonly DetectorPrefilter[]): MatchPrefilter {
  const tests = prefilters.flatMap((prefilter) => (prefilter.test ? [prefilter.test] : []));
  const pattern = combine(
    prefilters.filter((prefilter) => prefilter.test === undefined),
    '',
  );
  return (text) => tests.some((test) => test(text)) || (pattern !== null && pattern.test(text));
}

/**
 * Combines the prefilters of `detectors` into one check that is true when any
 * of them passes. The check is true for every text when a detector has no
 * prefilter, and false for every text when `detectors` is empty.
 */
export function createMatchPrefilter(detectors: readonly Detector[]): MatchPrefilter {
  if (detectors.some((detector) => detector.prefilter === undefined)) return () => true;
  if (detectors.length === 0) return () => false;
  const prefilters = detectors.map((detector) => detector.prefilter!);
  const shortTextPattern = combine(prefilters, '')!;
  const longTextCheck = createLongTextCheck(prefilters);
  return (text) =>
    text.length < LONG_TEXT_CHARS ? shortTextPattern.test(text) : longTextCheck(text);
}

/** Returns a check that is true when any of the detectors' own patterns matches, for detectors without prefilters. */
export function createPatternTest(detectors: readonly Detector[]): MatchPrefilter {
  const patterns = detectors.map(
    (detector) => new RegExp(detector.pattern.source, detector.pattern.flags.replace(/[gy]/g, '')),
  );
  return (text) => patterns.some((pattern) => pattern.test(text));
}
