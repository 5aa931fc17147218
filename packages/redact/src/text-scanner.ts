import type { Detector } from './detectors/detector.ts';
import { createMatchPrefilter, createPatternTest } from './match-prefilter.ts';
import { scanTriggers, type Triggers } from './text-triggers.ts';
import type { DetectorCounts } from './types.ts';

/** Strings shorter than this hold no built-in match: the shortest is an email like `a@b.co`. */
const MIN_BUILTIN_MATCH_LENGTH = 6;
/**
 * Strings up to this length that the prefilter found clean are remembered,
 * because attribute values such as model, host and tenant names repeat across
 * spans. Foghorn's OTLP decoder returns one string object for a repeated short
 * value, whose hash V8 keeps, so a set lookup costs less than the prefilter.
 */
const MAX_REMEMBERED_CLEAN_CHARS = 128;
const MAX_REMEMBERED_CLEAN_TEXTS = 8192;

export interface TextScanner {
  /** Returns `text` with every confirmed match replaced, adding one to `counts` per replacement. */
  scan(text: string, counts: DetectorCounts): string;
  /** False when no detector can replace anything in `text`; true means it may. */
  mayReplace(text: string): boolean;
}

/** Formats the replacement that names the detector, such as `[REDACTED:email]`. */
export function redactionMarker(name: string): string {
  return `[REDACTED:${name}]`;
}

/** Collects replacements in order and builds the output string once. */
class Replacements {
  private output = '';
  private copiedUpTo = 0;

  constructor(private readonly text: string) {}

  add(start: number, end: number, name: string): void {
    this.output += this.text.slice(this.copiedUpTo, start) + redactionMarker(name);
    this.copiedUpTo = end;
  }

  result(): string {
    if (this.copiedUpTo === 0) return this.text;
    return this.output + this.text.slice(this.copiedUpTo);
  }
}

function record(
  replacements: Replacements,
  detector: Detector,
  match: RegExpExecArray,
  text: string,
  counts: DetectorCounts,
): void {
  const finding = detector.confirm(match, text);
  if (finding === null) return;
  replacements.add(
    match.index + finding.keptPrefixLength,
    match.index + match[0].length,
    finding.name,
  );
  counts[finding.name] = (counts[finding.name] ?? 0) + 1;
}

/** Runs a global pattern over the whole text; used by custom patterns, which have no triggers. */
function applyEverywhere(text: string, detector: Detector, counts: DetectorCounts): string {
  const pattern = detector.pattern;
  const replacements = new Replacements(text);
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    record(replacements, detector, match, text, counts);
  }
  return replacements.result();
}

/**
 * Runs a sticky pattern at each candidate position in ascending order. A match,
 * confirmed or not, skips the candidates inside it, which is what a global scan
 * of the same pattern does, so the result equals a scan of the whole text.
 */
function applyAtCandidates(
  text: string,
  detector: Detector,
  candidates: readonly number[],
  counts: DetectorCounts,
): string {
  const pattern = detector.pattern;
  const replacements = new Replacements(text);
  let resumeAt = 0;
  for (const start of candidates) {
    if (start < resumeAt) continue;
    pattern.lastIndex = start;
    const match = pattern.exec(text);
    if (match === null) continue;
    resumeAt = start + match[0].length;
    record(replacements, detector, match, text, counts);
  }
  return replacements.result();
}

/**
 * Builds a scanner that runs `custom` detectors first, then `builtin` ones in
 * order. A text that no built-in prefilter matches skips the built-in
 * detectors. Otherwise one pass over the text finds the trigger positions
 * (digit runs, `@`, colons after hex digits, secret prefixes, credential
 * keywords), and each built-in detector runs its pattern only at the positions
 * derived from them. A detector that replaces something changes the text, so
 * the triggers are found again for the detectors after it.
 */
export function createTextScanner(
  builtin: readonly Detector[],
  custom: readonly Detector[],
): TextScanner {
  const prefilter = createMatchPrefilter(builtin);
  const customMayMatch = createPatternTest(custom);
  const cleanShortTexts = new Set<string>();

  function builtinMayMatch(text: string): boolean {
    if (text.length < MIN_BUILTIN_MATCH_LENGTH) return false;
    if (text.length > MAX_REMEMBERED_CLEAN_CHARS) return prefilter(text);
    if (cleanShortTexts.has(text)) return false;
    if (prefilter(text)) return true;
    if (cleanShortTexts.size >= MAX_REMEMBERED_CLEAN_TEXTS) cleanShortTexts.clear();
    cleanShortTexts.add(text);
    return false;
  }

  function scanBuiltin(text: string, counts: DetectorCounts): string {
    let output = text;
    let triggers: Triggers = scanTriggers(output);
    for (const detector of builtin) {
      const candidates = detector.candidates(triggers, output);
      if (candidates === null) {
        output = applyEverywhere(output, detector, counts);
      } else if (candidates.length > 0) {
        const next = applyAtCandidates(output, detector, candidates, counts);
        if (next !== output) triggers = scanTriggers(next);
        output = next;
      }
    }
    return output;
  }

  return {
    scan(text, counts) {
      let output = text;
      for (const detector of custom) output = applyEverywhere(output, detector, counts);
      return builtinMayMatch(output) ? scanBuiltin(output, counts) : output;
    },
    mayReplace(text) {
      if (custom.length > 0 && customMayMatch(text)) return true;
      return builtinMayMatch(text);
    },
  };
}
