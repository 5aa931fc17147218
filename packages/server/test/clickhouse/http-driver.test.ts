import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.ts';
import { openHttpDriver } from '../../src/store/clickhouse/http-driver.ts';
import type { Store } from '../../src/store/store.ts';
import { makeSpan } from '../api/span-factory.ts';

/** One request as the local ClickHouse stand-in received it. */
interface RecordedRequest {
  query: string;
  params: URLSearchParams;
  body: string;
  authorization: string | undefined;
}

const requests: RecordedRequest[] = [];
let server: Server;
let store: Store;

/** Builds the body ClickHouse's HTTP interface would return: JSONEachRow rows for the summary SELECT, empty bodies otherwise. */
function answer(request: RecordedRequest): string {
  const text = `${request.params.get('query') ?? ''}\n${request.body}`;
  if (text.includes('SELECT model AS key')) {
    return [
      '{"key":"gpt-4o","bucket_ns":"0","requests":3,"errors":1,"p50":120.5,"p95":300,"p99":310,"tokens_input":30,"tokens_output":12,"tokens_cached_input":4,"tokens_cache_write":0,"tokens_reasoning":2,"cost_total_usd":0.0125,"unpriced_requests":0}',
      '{"key":null,"bucket_ns":"0","requests":1,"errors":0,"p50":80,"p95":80,"p99":80,"tokens_input":0,"tokens_output":0,"tokens_cached_input":0,"tokens_cache_write":0,"tokens_reasoning":0,"cost_total_usd":null,"unpriced_requests":1}',
      '',
    ].join('\n');
  }
  return '';
}

async function readBody(message: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((message, response) => {
    void readBody(message).then((body) => {
      const url = new URL(message.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        query: url.searchParams.get('query') ?? body,
        params: url.searchParams,
        body,
        authorization: message.headers.authorization,
      };
      requests.push(recorded);
      response.writeHead(200, {
        'content-type': 'application/x-ndjson',
        'x-clickhouse-format': 'JSONEachRow',
      });
      response.end(answer(recorded));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const driver = openHttpDriver({
    url: `http://127.0.0.1:${port}`,
    username: 'foghorn',
    password: 'secret-password',
    database: 'observability',
  });
  store = await openClickHouseStore(driver, {
    layout: { database: 'observability', cluster: null },
  });
});

afterAll(async () => {
  await store?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('ClickHouse HTTP driver', () => {
  it('migrates with CREATE statements and records the version', () => {
    const texts = requests.map((request) => `${request.query}\n${request.body}`);
    expect(
      texts.some((text) => text.includes('CREATE TABLE IF NOT EXISTS observability.spans')),
    ).toBe(true);
    expect(texts.some((text) => text.includes('ENGINE = ReplacingMergeTree()'))).toBe(true);
    expect(
      texts.some((text) =>
        text.includes('CREATE MATERIALIZED VIEW IF NOT EXISTS observability.span_rollup_1m_mv'),
      ),
    ).toBe(true);
    const record = requests.find((request) =>
      request.query.includes('INSERT INTO observability.foghorn_migrations'),
    );
    expect(record).toBeDefined();
    expect(JSON.parse(record!.body.trim()).version).toBe(1);
  });

  it('sends credentials, database and settings on every request', () => {
    for (const request of requests) {
      expect(request.authorization).toBe(
        `Basic ${Buffer.from('foghorn:secret-password').toString('base64')}`,
      );
      expect(request.params.get('database')).toBe('observability');
      expect(request.params.get('mutations_sync')).toBe('2');
    }
  });

  it('binds summary parameters and parses JSONEachRow', async () => {
    requests.length = 0;
    const groups = await store.summary(
      {
        projectId: 'team-a',
        fromUnixMs: 1_700_000_000_000,
        toUnixMs: 1_700_003_600_000,
        filters: { tenant: "o'hara" },
      },
      'model',
    );
    expect(requests).toHaveLength(1);
    const sent = requests[0]!;
    expect(sent.query).toContain('FROM observability.spans');
    expect(sent.query).toContain('FORMAT JSONEachRow');
    expect(sent.query).toContain('project_id = {p0:String}');
    expect(sent.params.get('param_p0')).toBe('team-a');
    expect(sent.params.get('param_p1')).toBe('1700000000000000000');
    // Parameters travel in ClickHouse's escaped text form; the server unescapes them.
    expect(sent.params.get('param_p3')).toBe("o\\'hara");
    expect(groups).toEqual([
      {
        key: 'gpt-4o',
        requests: 3,
        errors: 1,
        latencyMs: { p50: 120.5, p95: 300, p99: 310 },
        tokens: { input: 30, output: 12, cachedInput: 4, cacheWrite: 0, reasoning: 2 },
        costUsd: 0.0125,
        unpricedRequests: 0,
      },
      {
        key: null,
        requests: 1,
        errors: 0,
        latencyMs: { p50: 80, p95: 80, p99: 80 },
        tokens: { input: 0, output: 0, cachedInput: 0, cacheWrite: 0, reasoning: 0 },
        costUsd: null,
        unpricedRequests: 1,
      },
    ]);
  });

  it('inserts spans as JSONEachRow with nanosecond times', async () => {
    requests.length = 0;
    const span = makeSpan({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      startMs: 1_700_000_000_123.456,
      durationMs: 250,
      model: 'gpt-4o',
      costUsd: 0.002,
      projectId: 'team-a',
    });
    await store.writeSpans([span]);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.query).toContain(
      'SELECT project_id, trace_id, span_id FROM observability.spans',
    );
    expect(requests[1]!.query).toBe('INSERT INTO observability.spans FORMAT JSONEachRow');
    const row = JSON.parse(requests[1]!.body.trim()) as Record<string, unknown>;
    expect(row.start_time).toBe('2023-11-14 22:13:20.123456000');
    expect(row.end_time).toBe('2023-11-14 22:13:20.373456000');
    expect(row.project_id).toBe('team-a');
    expect(row.cost_usd).toBe(0.002);
    expect(row.is_llm_call).toBe(true);
  });
});
