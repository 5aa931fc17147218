import { invalidParameter } from './mlflow-error.ts';

/** Encodes an offset as an opaque page token (base64 of `{"offset": N}`, like MLflow's). */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

/** Decodes a page token into an offset; a missing token is offset 0. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalidParameter(
      `Invalid page token '${token}': it is not a token returned by a search.`,
    );
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParameter(
      `Invalid page token '${token}': it is not a token returned by a search.`,
    );
  }
  return offset;
}

/** Reads `max_results` with a default and MLflow's upper limit for that API. */
export function checkMaxResults(
  value: number | undefined,
  defaultValue: number,
  limit: number,
): number {
  if (value === undefined) return defaultValue;
  if (value <= 0 || value > limit) {
    throw invalidParameter(
      `Invalid value ${value} for parameter 'max_results' supplied. It must be at most ${limit}, and at least 1.`,
    );
  }
  return value;
}
