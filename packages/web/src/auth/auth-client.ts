/** The caller's auth state, from `GET /api/v1/auth/session`. */
export interface SessionState {
  authEnabled: boolean;
  authenticated: boolean;
  username: string | null;
  projectId: string | null;
  role: 'viewer' | 'member' | 'admin' | null;
  canReadContent: boolean;
  csrfToken: string | null;
}

export const CSRF_HEADER = 'x-foghorn-csrf';

export async function fetchSession(): Promise<SessionState> {
  const response = await fetch('api/v1/auth/session', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`loading the session failed with HTTP ${response.status}`);
  return (await response.json()) as SessionState;
}

/** Logs in and returns the error message to show, or null on success. */
export async function logIn(username: string, password: string): Promise<string | null> {
  const response = await fetch('api/v1/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.ok) return null;
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `login failed with HTTP ${response.status}`;
}

export async function logOut(): Promise<void> {
  await fetch('api/v1/auth/logout', { method: 'POST', credentials: 'same-origin' });
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Adds the session's CSRF token to every same-origin request that changes
 * state, so the dashboard's existing fetch calls need no change.
 */
export function installCsrfHeader(csrfToken: string): void {
  const original = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    if (READ_METHODS.has(method) || url.origin !== window.location.origin)
      return original(input, init);
    const headers = new Headers(
      init.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    headers.set(CSRF_HEADER, csrfToken);
    return original(input, { ...init, headers });
  };
}
