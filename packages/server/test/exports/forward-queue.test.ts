import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ForwardMetrics } from '../../src/forward/forward-metrics.ts';
import { SendQueue } from '../../src/forward/send-queue.ts';

interface Reply {
  status: number;
  headers?: Record<string, string>;
}

/** A stand-in OTLP endpoint on 127.0.0.1 that answers from a script and can hold requests. */
class ScriptedEndpoint {
  readonly bodies: string[] = [];
  private readonly replies: Reply[] = [];
  private held: (() => void)[] = [];
  hold = false;
  private server: Server | null = null;
  url = '';

  async start(replies: Reply[]): Promise<void> {
    this.replies.push(...replies);
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.bodies.push(Buffer.concat(chunks).toString('utf8'));
        const reply = this.replies.shift() ?? { status: 200 };
        const answer = (): void => {
          response.writeHead(reply.status, reply.headers).end();
        };
        if (this.hold) this.held.push(answer);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/traces`;
  }

  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

function captureLogger(): { logger: pino.Logger; lines: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()).msg);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines: () => lines };
}

function valueOf(
  family: { series: Map<string, { labels: any; value: number }> },
  labels: Record<string, string>,
): number {
  for (const entry of family.series.values())
    if (Object.entries(labels).every(([name, value]) => entry.labels[name] === value))
      return entry.value;
  return 0;
}

let endpoint: ScriptedEndpoint;

afterEach(async () => {
  await endpoint?.stop();
});

function makeQueue(
  maxQueuedRequests: number,
  logger: pino.Logger,
  metrics: ForwardMetrics,
): SendQueue {
  return new SendQueue({
    name: 'test-target',
    maxQueuedRequests,
    policy: { requestTimeoutMs: 5_000, initialBackoffMs: 10, maxBackoffMs: 40, maxAttempts: 4 },
    headers: { 'content-type': 'application/x-protobuf' },
    metrics,
    logger,
  });
}

describe('forward send queue', () => {
  it('retries 429 and 503 then delivers', async () => {
    endpoint = new ScriptedEndpoint();
    await endpoint.start([{ status: 429, headers: { 'retry-after': '0' } }, { status: 503 }]);
    const metrics = new ForwardMetrics('test_forward', 'Items');
    const { logger, lines } = captureLogger();
    const queue = makeQueue(4, logger, metrics);

    queue.enqueue({
      signal: 'traces',
      target: { url: endpoint.url, headers: {} },
      body: Buffer.from('span-batch'),
      items: 3,
    });
    await queue.idle();

    expect(endpoint.bodies).toEqual(['span-batch', 'span-batch', 'span-batch']);
    expect(valueOf(metrics.retries, { signal: 'traces' })).toBe(2);
    expect(valueOf(metrics.items, { result: 'delivered' })).toBe(3);
    expect(valueOf(metrics.requests, { result: 'failed' })).toBe(0);
    expect(lines().filter((line) => line.includes('retrying'))).toHaveLength(2);
  });

  it('rejected request fails without retry', async () => {
    endpoint = new ScriptedEndpoint();
    await endpoint.start([{ status: 400 }]);
    const metrics = new ForwardMetrics('test_forward', 'Items');
    const { logger, lines } = captureLogger();
    const queue = makeQueue(4, logger, metrics);

    queue.enqueue({
      signal: 'logs',
      target: { url: endpoint.url, headers: {} },
      body: Buffer.from('bad'),
      items: 2,
    });
    await queue.idle();

    expect(endpoint.bodies).toHaveLength(1);
    expect(valueOf(metrics.items, { signal: 'logs', result: 'failed' })).toBe(2);
    expect(lines()).toEqual([
      'logs export of 2 items to test-target failed after 1 attempts; the items are dropped',
    ]);
  });

  it('full queue drops and counts', async () => {
    endpoint = new ScriptedEndpoint();
    await endpoint.start([]);
    endpoint.hold = true;
    const metrics = new ForwardMetrics('test_forward', 'Items');
    const { logger, lines } = captureLogger();
    const queue = makeQueue(2, logger, metrics);
    const request = (body: string) => ({
      signal: 'traces',
      target: { url: endpoint.url, headers: {} },
      body: Buffer.from(body),
      items: 1,
    });

    const accepted = ['a', 'b', 'c', 'd'].map((body) => queue.enqueue(request(body)));
    expect(accepted).toEqual([true, true, false, false]);
    expect(valueOf(metrics.queued, {})).toBe(2);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain('is full or stopped');

    endpoint.release();
    await queue.idle();
    expect(endpoint.bodies).toEqual(['a', 'b']);
    expect(valueOf(metrics.requests, { result: 'delivered' })).toBe(2);
    expect(valueOf(metrics.requests, { result: 'dropped' })).toBe(2);

    queue.enqueue(request('e'));
    await queue.idle();
    expect(lines().at(-1)).toBe('export queue of test-target dropped 2 requests');
  });
});
