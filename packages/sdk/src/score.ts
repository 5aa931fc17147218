import { FoghornConfigError } from './config/config-error.ts';
import { SDK_DEFAULTS } from './config/defaults.ts';
import { runningConfig } from './init.ts';
import { NOOP_LOGGER, prefixLogger, type FoghornLogger } from './telemetry/logger.ts';

export interface ScoreOptions {
  /** Scores one span of the trace, such as one LLM call, instead of the whole trace. */
  spanId?: string;
  /** The producer of the score, such as `user-feedback` or `llm-judge`. Foghorn's default is `api`. */
  source?: string;
  comment?: string;
  /** A stable id; a second score with the same id replaces the first. */
  id?: string;
  /** When the score was given, in Unix milliseconds; default now. */
  timestampUnixMs?: number;
  /** Default: `apiUrl` of the running SDK, else `FOGHORN_URL`, else http://127.0.0.1:4000. */
  apiUrl?: string;
  /** Default 5000. */
  timeoutMs?: number;
}

/** The outcome of `score()`: the stored score id, or why Foghorn did not store it. */
export type ScoreResult =
  { ok: true; id: string } | { ok: false; status: number | null; message: string };

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * Sends a quality score for a trace to Foghorn (`POST /api/v1/scores`). A
 * number is a numeric score; a string or boolean is a category. Throws a
 * `FoghornConfigError` on invalid arguments. A network failure or a rejection
 * by Foghorn never throws: it resolves to `{ok: false}` and is logged.
 */
export async function score(
  traceId: string,
  name: string,
  value: number | string | boolean,
  options: ScoreOptions = {},
): Promise<ScoreResult> {
  validateScore(traceId, name, value, options);
  const config = runningConfig();
  const logger = config?.logger ?? prefixLogger(NOOP_LOGGER);
  const apiUrl = (
    options.apiUrl ??
    config?.apiUrl ??
    process.env.FOGHORN_URL ??
    SDK_DEFAULTS.apiUrl
  ).replace(/\/+$/, '');
  const body = {
    traceId,
    name,
    value,
    ...(options.spanId === undefined ? {} : { spanId: options.spanId }),
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.comment === undefined ? {} : { comment: options.comment }),
    ...(options.id === undefined ? {} : { id: options.id }),
    ...(options.timestampUnixMs === undefined ? {} : { timestamp: options.timestampUnixMs }),
  };
  return postScore(`${apiUrl}/api/v1/scores`, body, options.timeoutMs ?? 5000, logger);
}

async function postScore(
  url: string,
  body: object,
  timeoutMs: number,
  logger: FoghornLogger,
): Promise<ScoreResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const payload = (await response.json().catch(() => null)) as {
      ids?: string[];
      error?: { message?: string };
    } | null;
    if (response.ok && typeof payload?.ids?.[0] === 'string')
      return { ok: true, id: payload.ids[0] };
    const message = payload?.error?.message ?? `HTTP ${response.status}`;
    logger.warn(`score was rejected by ${url}: ${message}`);
    return { ok: false, status: response.status, message };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn(
      `sending a score to ${url} failed: ${message}; check that Foghorn runs there or set FOGHORN_URL`,
    );
    return { ok: false, status: null, message };
  }
}

function validateScore(
  traceId: unknown,
  name: unknown,
  value: unknown,
  options: ScoreOptions,
): void {
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) {
    throw new FoghornConfigError(
      `score() traceId is ${JSON.stringify(traceId)}; expected 32 lower-case hexadecimal characters, such as spanContextOf(result).traceId`,
    );
  }
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new FoghornConfigError(
      `score() name is ${JSON.stringify(name)}; expected a string of 1 to 200 characters`,
    );
  }
  const validValue =
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean' ||
    (typeof value === 'string' && value.length > 0 && value.length <= 200);
  if (!validValue) {
    throw new FoghornConfigError(
      `score() value is ${JSON.stringify(value)}; expected a finite number, a boolean or a string of 1 to 200 characters`,
    );
  }
  if (options.spanId !== undefined && !SPAN_ID.test(options.spanId)) {
    throw new FoghornConfigError(
      `score() option spanId is ${JSON.stringify(options.spanId)}; expected 16 lower-case hexadecimal characters`,
    );
  }
}
