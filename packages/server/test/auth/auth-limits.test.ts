import { Client, Metadata, credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFoghorn } from '../../src/foghorn.ts';
import {
  ADMIN_PASSWORD,
  call,
  chatSpanJson,
  login,
  startAuthServer,
  type AuthServer,
  type Login,
} from './auth-server.ts';

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** Sends an empty OTLP/gRPC trace export and returns the status code. */
function grpcExport(address: string, metadata: Metadata): Promise<GrpcStatus> {
  const client = new Client(address, credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      TRACE_EXPORT,
      (value: Buffer) => value,
      (value: Buffer) => value,
      Buffer.alloc(0),
      metadata,
      (error) => {
        client.close();
        resolve(error?.code ?? GrpcStatus.OK);
      },
    );
  });
}

function postTraces(url: string, key: string, body = chatSpanJson()): Promise<Response> {
  return fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body,
  });
}

describe('auth limits', () => {
  let server: AuthServer;
  let admin: Login;

  beforeAll(async () => {
    server = await startAuthServer({ ingestBurst: 2 });
    admin = await login(server.url, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 429 with Retry-After past the key rate', async () => {
    const key = (
      await call(server.url, 'POST', '/api/v1/auth/keys', admin, { name: 'slow', ratePerSecond: 1 })
    ).body.key;
    expect((await postTraces(server.otlpUrl, key)).status).toBe(200);
    expect((await postTraces(server.otlpUrl, key)).status).toBe(200);
    const limited = await postTraces(server.otlpUrl, key);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    server.advanceMs(1000);
    expect((await postTraces(server.otlpUrl, key)).status).toBe(200);
  });

  it('answers 413 above the key body limit', async () => {
    const key = (
      await call(server.url, 'POST', '/api/v1/auth/keys', admin, {
        name: 'small',
        maxBodyBytes: 1024,
      })
    ).body.key;
    const response = await postTraces(server.otlpUrl, key, chatSpanJson() + ' '.repeat(2048));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toContain(
      'limit of 1024 bytes',
    );
  });

  it('rejects a revoked key', async () => {
    const created = (await call(server.url, 'POST', '/api/v1/auth/keys', admin, { name: 'old' }))
      .body;
    expect(
      (await call(server.url, 'DELETE', `/api/v1/auth/keys/${created.id}`, admin)).status,
    ).toBe(200);
    expect((await postTraces(server.otlpUrl, created.key)).status).toBe(401);
  });

  it('checks ingest keys on OTLP/gRPC', async () => {
    const key = (await call(server.url, 'POST', '/api/v1/auth/keys', admin, { name: 'grpc' })).body
      .key;
    expect(await grpcExport(server.grpcAddress, new Metadata())).toBe(GrpcStatus.UNAUTHENTICATED);
    const wrong = new Metadata();
    wrong.set('authorization', 'Bearer fgh_ik_wrong');
    expect(await grpcExport(server.grpcAddress, wrong)).toBe(GrpcStatus.UNAUTHENTICATED);
    const good = new Metadata();
    good.set('x-foghorn-key', key);
    expect(await grpcExport(server.grpcAddress, good)).toBe(GrpcStatus.OK);
    expect(await grpcExport(server.grpcAddress, good)).toBe(GrpcStatus.OK);
    expect(await grpcExport(server.grpcAddress, good)).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });

  it('slows down and locks out password guessing', async () => {
    await call(server.url, 'POST', '/api/v1/auth/users', admin, {
      username: 'mallory',
      password: 'a long password 1',
      role: 'viewer',
    });
    const attempt = (password: string): Promise<{ status: number; headers: Headers }> =>
      call(server.url, 'POST', '/api/v1/auth/login', null, { username: 'mallory', password });
    expect((await attempt('wrong 1')).status).toBe(401);
    const throttled = await attempt('wrong 2');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    for (let failure = 2; failure <= 5; failure++) {
      server.advanceMs(60_000);
      expect((await attempt(`wrong ${failure}`)).status).toBe(401);
    }
    server.advanceMs(60_000);
    const locked = await attempt('a long password 1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(700);
    server.advanceMs(15 * 60_000);
    expect((await attempt('a long password 1')).status).toBe(200);
    const audit = await call(server.url, 'GET', '/api/v1/audit?action=auth.lockout', admin);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({
      actor: 'user:mallory',
      target: 'account:mallory',
    });
  });
});

describe('network binding', () => {
  it('refuses a non-loopback host without auth', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-bind-'));
    try {
      const start = startFoghorn({
        host: '0.0.0.0',
        port: 0,
        otlpPort: 0,
        grpcPort: 0,
        dataDir,
        maxBodyBytes: 1024 * 1024,
        logger: pino({ level: 'silent' }),
      });
      await expect(start).rejects.toThrow(
        /--host 0\.0\.0\.0 is rejected without auth.*--auth \(FOGHORN_AUTH=1\)/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
