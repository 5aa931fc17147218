import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AuthSettings } from '../../src/auth/auth-settings.ts';
import { startFoghorn, type FoghornHandle } from '../../src/foghorn.ts';

export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface AuthServer extends FoghornHandle {
  dataDir: string;
  /** Moves the server's clock forward. */
  advanceMs(ms: number): void;
  stop(): Promise<void>;
}

/** Starts Foghorn with auth on, a bootstrap admin and a clock the test moves. */
export async function startAuthServer(settings: Partial<AuthSettings> = {}): Promise<AuthServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-auth-'));
  let clockUnixMs = Date.now();
  const handle = await startFoghorn({
    host: '127.0.0.1',
    port: 0,
    otlpPort: 0,
    grpcPort: 0,
    dataDir,
    maxBodyBytes: 8 * 1024 * 1024,
    logger: pino({ level: 'silent' }),
    alertIntervalMs: 0,
    alertOutboxIntervalMs: 0,
    now: () => clockUnixMs,
    auth: { enabled: true, bootstrapAdminPassword: ADMIN_PASSWORD, settings },
  });
  return {
    ...handle,
    dataDir,
    advanceMs: (ms) => {
      clockUnixMs += ms;
    },
    stop: async () => {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Login {
  cookie: string;
  csrfToken: string;
}

/** Logs in through the API and returns the session cookie and CSRF token. */
export async function login(url: string, username: string, password: string): Promise<Login> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const body = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

/** Sends a JSON request with a session (cookie and CSRF header) or a bearer token. */
export async function call(
  url: string,
  method: string,
  path: string,
  auth: Login | string | null,
  body?: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (typeof auth === 'string') headers.authorization = `Bearer ${auth}`;
  else if (auth !== null) {
    headers.cookie = auth.cookie;
    headers['x-foghorn-csrf'] = auth.csrfToken;
  }
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const PROMPT_TEXT = 'What is the balance of account 4711?';

/** Builds an OTLP JSON body with one chat span whose prompt is in `gen_ai.prompt`. */
export function chatSpanJson(traceId = TRACE_ID): string {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'auth-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'manual' },
            spans: [
              {
                traceId,
                spanId: 'eee19b7ec3c1b174',
                name: 'chat gpt-4o-mini',
                kind: 3,
                startTimeUnixNano: String(nowNs - 250_000_000n),
                endTimeUnixNano: String(nowNs),
                attributes: [
                  { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                  { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                  { key: 'gen_ai.prompt', value: { stringValue: PROMPT_TEXT } },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
}
