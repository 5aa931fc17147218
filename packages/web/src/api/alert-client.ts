import { getJson } from './client.ts';
import { ApiError, apiErrorFromResponse } from './api-error.ts';
import type { AlertHistoryResponse, SilencesResponse } from './types.ts';

const RULES_PATH = 'api/v1/alerts/rules';
const SILENCES_PATH = 'api/v1/alerts/silences';

/**
 * Sends a write request with a JSON body and parses the JSON response; failures become ApiError
 * with the server's message. Under auth, the fetch wrapper of `installCsrfHeader` adds the
 * CSRF header to these requests.
 */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const routePath = path.split('?')[0] ?? path;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(
      'NETWORK_ERROR',
      `${method} ${routePath} could not be sent (${reason}). Check that the Foghorn server is running.`,
      0,
    );
  }
  if (!response.ok) throw await apiErrorFromResponse(response, routePath);
  return (await response.json()) as T;
}

/** Creates an API rule (`id` null) or replaces the API rule `id`. */
export function saveRule(id: string | null, body: Record<string, unknown>): Promise<unknown> {
  return id === null
    ? sendJson('POST', RULES_PATH, body)
    : sendJson('PUT', `${RULES_PATH}/${encodeURIComponent(id)}`, body);
}

export function deleteRule(id: string): Promise<unknown> {
  return sendJson('DELETE', `${RULES_PATH}/${encodeURIComponent(id)}`);
}

/** Queues a test notification of rule `id` for its receivers and returns their names. */
export async function sendTestNotification(id: string): Promise<unknown> {
  const result = await sendJson<{ receivers: unknown }>(
    'POST',
    `${RULES_PATH}/${encodeURIComponent(id)}/test`,
  );
  return result.receivers;
}

/** Fetches state changes of the last `windowMs`, newest first, of one rule or (`ruleId` null) all. */
export function fetchAlertHistory(
  ruleId: string | null,
  windowMs: number,
  signal: AbortSignal,
): Promise<AlertHistoryResponse> {
  const toMs = Date.now();
  const params = new URLSearchParams({ from: String(toMs - windowMs), to: String(toMs + 1) });
  if (ruleId !== null) params.set('ruleId', ruleId);
  return getJson(`api/v1/alerts/history?${params.toString()}`, signal);
}

export function fetchSilences(signal: AbortSignal): Promise<SilencesResponse> {
  return getJson(SILENCES_PATH, signal);
}

/** Creates a silence of `matchers` (such as `alertname="x"`) lasting `duration` (such as `2h`). */
export function createSilence(
  matchers: readonly string[],
  duration: string,
  comment: string,
): Promise<{ silenceId: string }> {
  return sendJson('POST', SILENCES_PATH, {
    matchers,
    duration,
    comment,
    createdBy: 'dashboard',
  });
}

export function expireSilence(id: string): Promise<unknown> {
  return sendJson('DELETE', `${SILENCES_PATH}/${encodeURIComponent(id)}`);
}
