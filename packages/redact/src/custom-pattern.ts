import { wholeMatch, type Detector } from './detectors/detector.ts';

/** A detector defined in configuration: every match of `pattern` becomes `[REDACTED:<name>]`. */
export interface CustomPattern {
  name: string;
  /** JavaScript regular expression source, without slashes. */
  pattern: string;
  /** Extra flags such as `i`; `g` is always added. */
  flags?: string;
}

const NAME = /^[a-z][a-z0-9_]{0,63}$/;
const FLAGS = /^[imsu]*$/;

/** Compiles a custom pattern; throws naming the field and the fix when it is invalid. */
export function compileCustomPattern(custom: CustomPattern, index: number): Detector {
  const where = `customPatterns[${index}]`;
  if (!NAME.test(custom.name)) {
    throw new Error(
      `${where}.name is "${custom.name}"; use 1 to 64 lowercase letters, digits or underscores, starting with a letter`,
    );
  }
  const flags = custom.flags ?? '';
  if (!FLAGS.test(flags)) {
    throw new Error(`${where}.flags is "${flags}"; use only the flags i, m, s and u`);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(custom.pattern, `${flags}g`);
  } catch (error) {
    throw new Error(
      `${where}.pattern is not a valid regular expression: ${(error as Error).message}`,
    );
  }
  if (pattern.test('')) {
    throw new Error(
      `${where}.pattern matches the empty string; make it match at least one character`,
    );
  }
  pattern.lastIndex = 0;
  return {
    id: custom.name,
    names: [custom.name],
    candidates: () => null,
    pattern,
    confirm: () => wholeMatch(custom.name),
  };
}
