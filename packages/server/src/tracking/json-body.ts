import { invalidParameter } from './mlflow-error.ts';

/** Bare NaN and infinities, which Python's `json.dumps` writes, outside of strings. */
const BARE_NON_FINITE = /([:[,]\s*)(NaN|-?Infinity)(?=\s*[,\]}])/g;

/**
 * Parses an MLflow request body. An empty body is `{}`; a body that is a JSON
 * string holding JSON (older clients encode twice) is decoded again.
 */
export function parseMlflowBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = JSON.parse(text.replace(BARE_NON_FINITE, '$1"$2"'));
    } catch {
      throw invalidParameter(`Malformed JSON request body: ${text.slice(0, 200)}`);
    }
  }
  if (typeof parsed === 'string') return parseMlflowBody(parsed);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
