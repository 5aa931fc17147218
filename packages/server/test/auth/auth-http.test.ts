import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_CONTENT_MARKER } from '../../src/auth/content-mask.ts';
import {
  ADMIN_PASSWORD,
  PROMPT_TEXT,
  TRACE_ID,
  call,
  chatSpanJson,
  login,
  startAuthServer,
  type AuthServer,
  type Login,
} from './auth-server.ts';

describe('auth over HTTP', () => {
  let server: AuthServer;
  let admin: Login;
  let ingestKey: string;

  beforeAll(async () => {
    server = await startAuthServer({ ingestBurst: 1000 });
    admin = await login(server.url, 'admin', ADMIN_PASSWORD);
    const created = await call(server.url, 'POST', '/api/v1/auth/keys', admin, { name: 'app' });
    ingestKey = created.body.key;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('rejects API calls without credentials', async () => {
    const response = await call(server.url, 'GET', '/api/v1/llm/summary', null);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('keeps health and the dashboard public', async () => {
    expect((await call(server.url, 'GET', '/healthz', null)).status).toBe(200);
    const session = await call(server.url, 'GET', '/api/v1/auth/session', null);
    expect(session.body).toMatchObject({ authEnabled: true, authenticated: false });
  });

  it('sets a strict HttpOnly session cookie', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
  });

  it('shows a created key once and stores only its digest', async () => {
    expect(ingestKey).toMatch(/^fgh_ik_/);
    const listed = await call(server.url, 'GET', '/api/v1/auth/keys', admin);
    expect(JSON.stringify(listed.body)).not.toContain(ingestKey);
    expect(listed.body.keys[0].prefix).toBe(ingestKey.slice(0, 12));
  });

  it('rejects a session write without the CSRF header', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ name: 'sneaky' }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe('PERMISSION_DENIED');
  });

  it('rejects a session write from another origin', async () => {
    const response = await fetch(`${server.url}/api/v1/auth/keys`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: admin.cookie,
        'x-foghorn-csrf': admin.csrfToken,
        origin: 'https://evil.example',
      },
      body: JSON.stringify({ name: 'sneaky' }),
    });
    expect(response.status).toBe(403);
  });

  it('answers OTLP without a key with 401 and an OTLP status', async () => {
    for (const base of [server.otlpUrl, server.url]) {
      const response = await fetch(`${base}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chatSpanJson(),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { code: number; message: string };
      expect(body.code).toBe(16);
      expect(body.message).toContain('ingest key');
    }
  });

  it('accepts OTLP with a bearer key or x-foghorn-key', async () => {
    const bearer = await fetch(`${server.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
      body: chatSpanJson(),
    });
    expect(bearer.status).toBe(200);
    const header = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-foghorn-key': ingestKey },
      body: chatSpanJson('6b8efff798038103d269b633813fc60c'),
    });
    expect(header.status).toBe(200);
  });

  it('masks content for a viewer without the content permission', async () => {
    await call(server.url, 'POST', '/api/v1/auth/users', admin, {
      username: 'vera',
      password: 'viewer password 1',
      role: 'viewer',
    });
    const vera = await login(server.url, 'vera', 'viewer password 1');
    const masked = await call(server.url, 'GET', `/api/v1/traces/${TRACE_ID}`, vera);
    expect(masked.status).toBe(200);
    expect(masked.body.spans[0].attributes['gen_ai.prompt']).toBe(HIDDEN_CONTENT_MARKER);
    expect(masked.body.spans[0].attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    const full = await call(server.url, 'GET', `/api/v1/traces/${TRACE_ID}`, admin);
    expect(full.body.spans[0].attributes['gen_ai.prompt']).not.toBe(HIDDEN_CONTENT_MARKER);
    expect(JSON.stringify(masked.body)).not.toContain(PROMPT_TEXT);
  });

  it('rejects trace text search without the content permission', async () => {
    const vera = await login(server.url, 'vera', 'viewer password 1');
    const response = await call(server.url, 'GET', '/api/v1/traces?text=balance', vera);
    expect(response.status).toBe(403);
  });

  it('forbids a viewer token from writing rules', async () => {
    const vera = await login(server.url, 'vera', 'viewer password 1');
    const token = await call(server.url, 'POST', '/api/v1/auth/tokens', vera, { name: 'cli' });
    expect(token.status).toBe(201);
    const read = await call(
      server.url,
      'GET',
      '/api/v1/llm/summary?groupBy=model',
      token.body.token,
    );
    expect(read.status).toBe(200);
    const write = await call(server.url, 'POST', '/api/v1/alerts/rules', token.body.token, {});
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('needs the member role');
  });

  it('audits content reads and key changes', async () => {
    const reads = await call(server.url, 'GET', '/api/v1/audit?action=content.read', admin);
    expect(reads.status).toBe(200);
    expect(reads.body.entries[0]).toMatchObject({ actor: 'user:admin', action: 'content.read' });
    const keys = await call(server.url, 'GET', '/api/v1/audit?action=keys.change', admin);
    expect(keys.body.entries.some((entry: any) => entry.outcome === 'success')).toBe(true);
  });

  it('exports the audit log as CSV and JSON lines', async () => {
    const csv = await call(server.url, 'GET', '/api/v1/audit?format=csv', admin);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(String(csv.body).split('\r\n')[0]).toBe(
      'time,actor,action,projectId,target,outcome,address,detail',
    );
    const lines = await call(server.url, 'GET', '/api/v1/audit?format=jsonl', admin);
    const first = JSON.parse(String(lines.body).split('\n')[0]!);
    expect(typeof first.action).toBe('string');
  });

  it('forbids the audit log to a viewer', async () => {
    const vera = await login(server.url, 'vera', 'viewer password 1');
    expect((await call(server.url, 'GET', '/api/v1/audit', vera)).status).toBe(403);
  });

  it('ends the session on logout', async () => {
    const session = await login(server.url, 'admin', ADMIN_PASSWORD);
    expect((await call(server.url, 'POST', '/api/v1/auth/logout', session)).status).toBe(200);
    expect((await call(server.url, 'GET', '/api/v1/llm/summary', session)).status).toBe(401);
  });
});
