const VISIBLE_TAIL_CHARS = 4;
const URL_PATTERN = /\bhttps?:\/\/[^\s"'<>]+/gi;

/** Keeps the last 4 characters of a secret, such as a PagerDuty routing key: `…1a2b`. */
export function maskSecret(secret: string): string {
  if (secret.length <= VISIBLE_TAIL_CHARS * 2) return '…';
  return `…${secret.slice(-VISIBLE_TAIL_CHARS)}`;
}

/**
 * Keeps the scheme and host of a URL and masks the rest:
 * `https://hooks.slack.com/services/T0/B0/abcdXXXX` becomes `https://hooks.slack.com/…/XXXX`.
 * User name, password, query and fragment are dropped.
 */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return maskSecret(url);
  }
  const rest = `${parsed.pathname}${parsed.search}${parsed.hash}`.replace(/^\/+/, '');
  const origin = `${parsed.protocol}//${parsed.host}`;
  if (rest === '') return `${origin}/`;
  return `${origin}/…/${rest.length > VISIBLE_TAIL_CHARS * 2 ? rest.slice(-VISIBLE_TAIL_CHARS) : ''}`;
}

/**
 * Masks every http(s) URL in a free text, such as an error message, with
 * `maskUrl`, then every listed secret: URLs with `maskUrl`, others with `maskSecret`.
 */
export function maskSecretsInText(text: string, secrets: readonly string[] = []): string {
  let masked = text.replace(URL_PATTERN, (url) => maskUrl(url));
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const replacement = /^https?:\/\//i.test(secret) ? maskUrl(secret) : maskSecret(secret);
    masked = masked.split(secret).join(replacement);
  }
  return masked;
}
