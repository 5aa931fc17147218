import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('query API parameters', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('rejects an unknown parameter naming the allowed ones', async () => {
    const { status, body } = await server.getJson('/api/v1/llm/summary?groupBy=model&colour=red');
    expect(status).toBe(400);
    expect(body.error.message).toContain('"colour"');
    expect(body.error.message).toContain('groupBy');
  });

  it('rejects an unknown groupBy value naming the allowed values', async () => {
    const { status, body } = await server.getJson('/api/v1/llm/summary?groupBy=colour');
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      'query parameter "groupBy" has the invalid value "colour"; allowed values: model, responseModel, provider, tenant, feature, service, operation, errorType, registeredModel',
    );
  });

  it('rejects a missing groupBy', async () => {
    const { status, body } = await server.getJson('/api/v1/llm/summary');
    expect(status).toBe(400);
    expect(body.error.message).toContain('"groupBy" is missing');
  });

  it('rejects an invalid time', async () => {
    const { status, body } = await server.getJson(
      '/api/v1/llm/summary?groupBy=model&from=yesterday',
    );
    expect(status).toBe(400);
    expect(body.error.message).toContain('"from" has the invalid time "yesterday"');
  });

  it('accepts RFC 3339 and Unix milliseconds', async () => {
    const { status, body } = await server.getJson(
      '/api/v1/llm/summary?groupBy=tenant&from=2026-01-01T00:00:00Z&to=1767229200000',
    );
    expect(status).toBe(200);
    expect(body.from).toBe('2026-01-01T00:00:00.000Z');
    expect(body.to).toBe('2026-01-01T01:00:00.000Z');
    expect(body.groups).toEqual([]);
  });

  it('rejects from after to', async () => {
    const { status } = await server.getJson('/api/v1/llm/summary?groupBy=model&from=2000&to=1000');
    expect(status).toBe(400);
  });

  it('returns 404 for an unknown trace and 400 for a malformed id', async () => {
    expect((await server.getJson('/api/v1/traces/0123456789abcdef0123456789abcdef')).status).toBe(
      404,
    );
    const bad = await server.getJson('/api/v1/traces/xyz');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('32 hexadecimal characters');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const { status, body } = await server.getJson('/api/v1/nothing');
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });
});
