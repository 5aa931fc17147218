import type { Triggers } from '../text-triggers.ts';

/** A confirmed match: the detector name to report and how many leading characters of the match stay. */
export interface Finding {
  name: string;
  keptPrefixLength: number;
}

/**
 * A cheap necessary condition: every text in which the detector can confirm a
 * match passes it, so a text that fails it skips the detector. Passing it
 * proves nothing; the detector still runs its pattern.
 */
export interface DetectorPrefilter {
  /** A regular expression source that matches somewhere in every such text. It may accept more, never less. */
  source: string;
  /**
   * For long texts, a test that is true for every text `source` matches,
   * built on `indexOf`. `indexOf` looks for one character or literal in native
   * code many times faster than a regular expression visits characters.
   */
  test?: (text: string) => boolean;
}

/**
 * One kind of sensitive value. `candidates` turns the triggers of the text into
 * the ascending positions where a match may start, and `pattern` (sticky, flag
 * `y`) runs at each of them; `candidates` returns null for a detector without
 * triggers, whose `pattern` (global, flag `g`) then scans the whole text.
 * `confirm` checks each match (checksums, context) and returns null to leave it
 * in place.
 */
export interface Detector {
  /** The name used to turn the detector off, such as `email` or `secrets`. */
  id: string;
  /** The names this detector can report, for documentation and stats. */
  names: readonly string[];
  candidates(triggers: Triggers, text: string): readonly number[] | null;
  /** Without a prefilter the detector runs on every text. */
  prefilter?: DetectorPrefilter;
  pattern: RegExp;
  confirm(match: RegExpExecArray, text: string): Finding | null;
}

/** Returns the finding for a detector that replaces whole matches under one name. */
export function wholeMatch(name: string): Finding {
  return { name, keptPrefixLength: 0 };
}

/** Returns the `length` characters of `text` before `offset`, for context checks. */
export function textBefore(text: string, offset: number, length: number): string {
  return text.slice(Math.max(0, offset - length), offset);
}

const IBAN_PREFIX = /\b[A-Z]{2}\d{2}(?: [A-Z0-9]{4})* ?$/;

/** True when the match continues an IBAN-shaped value (`DE89 3704 …`) that failed its checksum. */
export function continuesIbanShape(text: string, offset: number): boolean {
  return IBAN_PREFIX.test(textBefore(text, offset, 40));
}
