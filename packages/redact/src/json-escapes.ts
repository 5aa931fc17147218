/** Secret prefixes and credential keywords, lowercase, that a value after an escape may start with. */
const WORD_TRIGGERS = [
  'sk-',
  'sk_',
  'rk_',
  'pk_',
  'whsec_',
  'akia',
  'asia',
  'abia',
  'acca',
  'aiza',
  'gh',
  'github_pat_',
  'xox',
  'https://hooks.',
  'eyj',
  'bearer',
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
/** JSON escapes written as a backslash and a letter, whose letter a pattern's lookbehind reads as a word character. */
const LETTER_ESCAPES = 'nrtbf';
const UNICODE_ESCAPE_CHARS = 6;

function startsTrigger(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if ((code >= 48 && code <= 57) || code === 43 || code === 40) return true;
  const head = text.slice(index, index + 14).toLowerCase();
  return WORD_TRIGGERS.some((trigger) => head.startsWith(trigger));
}

/**
 * True when a JSON string escape such as `\n` or `\u201c` comes right before a
 * digit, `+`, `(`, a secret prefix or a credential keyword. Scanned as raw
 * JSON text, the escape's last character joins the value (`\n4111 …` reads as
 * `n4111 …`), so the detectors' lookbehinds miss it; such text must be parsed
 * and its string values scanned instead.
 */
export function hasTriggerAfterEscape(text: string): boolean {
  for (
    let at = text.indexOf('\\');
    at !== -1 && at + 1 < text.length;
    at = text.indexOf('\\', at + 2)
  ) {
    const escape = text[at + 1]!;
    if (LETTER_ESCAPES.includes(escape) && startsTrigger(text, at + 2)) return true;
    if (escape === 'u' && startsTrigger(text, at + UNICODE_ESCAPE_CHARS)) return true;
  }
  return false;
}
