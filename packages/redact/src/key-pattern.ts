/** A set of attribute keys given exactly or as globs, where `*` matches any characters and `?` one. */
export interface KeyPattern {
  matches(key: string): boolean;
}

function globToSource(glob: string): string {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}

/** Compiles exact keys into a set and all globs into one regular expression. */
export function compileKeyPattern(patterns: readonly string[]): KeyPattern {
  const exact = new Set<string>();
  const globs: string[] = [];
  for (const pattern of patterns) {
    if (pattern.includes('*') || pattern.includes('?')) globs.push(globToSource(pattern));
    else exact.add(pattern);
  }
  const glob = globs.length === 0 ? null : new RegExp(`^(?:${globs.join('|')})$`);
  return {
    matches: (key) => exact.has(key) || (glob !== null && glob.test(key)),
  };
}
