import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnFoghornUp } from '../helpers/spawn-foghorn.ts';

const SPANS_PER_BATCH = 50;
const CONCURRENT_SENDERS = 4;
const LOAD_MS = 4000;

function batchBody(batch: number): { traceId: string; body: string } {
  const traceId = `f${batch.toString(16).padStart(31, '0')}`;
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let i = 0; i < SPANS_PER_BATCH; i++) {
    spans.push({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: `${startNs + BigInt(i) * 1000n}`,
      endTimeUnixNano: `${startNs + BigInt(i) * 1000n + 250_000_000n}`,
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 120 } },
        { key: 'gen_ai.input.messages', value: { stringValue: 'x'.repeat(1500) } },
      ],
    });
  }
  const body = JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'load' }, spans }] },
    ],
  });
  return { traceId, body };
}

const HOUR_MS = 3_600_000;

/** Sums the requests of a summary over the window `hours` long that ends at the next full hour but one. */
async function summedRequests(url: string, hours: number): Promise<number> {
  const endMs = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const response = await fetch(
    `${url}/api/v1/llm/summary?groupBy=model&from=${endMs - hours * HOUR_MS}&to=${endMs}`,
  );
  const body = (await response.json()) as { groups: { requests: number }[] };
  return body.groups.reduce((sum, group) => sum + group.requests, 0);
}

/** Summary queries over windows longer than 48 hours read the hour rollups. */
const rolledUpRequests = (url: string): Promise<number> => summedRequests(url, 72);
/** Summary queries over shorter windows read the spans table. */
const rawRequests = (url: string): Promise<number> => summedRequests(url, 3);

const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged span across SIGKILL during ingest', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-kill-'));
    dataDirs.push(dataDir);
    const first = await spawnFoghornUp(dataDir);

    const acknowledged: string[] = [];
    // One batch before the load, read back through the rollups, so the rollup
    // tables are not empty when the server dies: an empty set is rebuilt on start.
    const warmUp = batchBody(0);
    const warmUpResponse = await fetch(`${first.otlpUrl}/v1/traces`, {
      method: 'POST',
      body: warmUp.body,
      headers: { 'content-type': 'application/json' },
    });
    expect(warmUpResponse.status).toBe(200);
    acknowledged.push(warmUp.traceId);
    expect(await rolledUpRequests(first.url)).toBe(SPANS_PER_BATCH);

    let nextBatch = 1;
    let stopping = false;
    const sender = async (): Promise<void> => {
      while (!stopping) {
        const { traceId, body } = batchBody(nextBatch++);
        try {
          const response = await fetch(`${first.otlpUrl}/v1/traces`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json' },
          });
          if (response.status === 200) acknowledged.push(traceId);
        } catch {
          return; // The server is gone; unacknowledged batches may or may not be stored.
        }
      }
    };
    const senders = Array.from({ length: CONCURRENT_SENDERS }, sender);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    const exited = new Promise((resolve) => first.process.once('exit', resolve));
    first.process.kill('SIGKILL');
    stopping = true;
    await Promise.all(senders);
    await exited;
    expect(acknowledged.length).toBeGreaterThan(10);

    const second = await spawnFoghornUp(dataDir);
    try {
      const missing: string[] = [];
      for (const traceId of acknowledged) {
        const response = await fetch(`${second.url}/api/v1/traces/${traceId}`);
        const body = (await response.json()) as any;
        if (response.status !== 200 || body.spans.length !== SPANS_PER_BATCH)
          missing.push(`${traceId}:${response.status}:${body.spans?.length}`);
      }
      expect(missing).toEqual([]);

      // Rollups commit with their spans: after the crash, the calls read from hour
      // rollups equal those read from the raw spans.
      const raw = await rawRequests(second.url);
      expect(raw).toBeGreaterThanOrEqual(acknowledged.length * SPANS_PER_BATCH);
      expect(await rolledUpRequests(second.url)).toBe(raw);
    } finally {
      await second.stop();
    }
  });
});
