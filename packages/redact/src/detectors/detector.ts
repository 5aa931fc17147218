import type { Triggers } from '../text-triggers.ts';

/** A confirmed match: the detector name to report and how many leading characters of the match stay. */
export interface Finding {
  name: string;
  keptPrefixLength: number;
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
