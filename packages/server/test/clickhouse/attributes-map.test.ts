import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChdbDriver } from '../../src/store/clickhouse/chdb-driver.ts';
import { openClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.ts';
import type { ClickHouseDriver } from '../../src/store/clickhouse/driver.ts';
import type { Store } from '../../src/store/store.ts';
import { makeSpan } from '../api/span-factory.ts';

const LAYOUT = { database: 'mapped', cluster: null };
const START_MS = Date.UTC(2026, 2, 3, 10, 0, 0);
const NANOS_PER_MS = 1_000_000n;
const LONG_TEXT = 'x'.repeat(8193);
const ATTRIBUTES = {
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.request.temperature': 0.25,
  'gen_ai.usage.input_tokens': 120,
  'gen_ai.request.stream': true,
  'gen_ai.request.stop_sequences': ['END', 'STOP'],
  'app.options': { retries: 2 },
  'app.long_text': LONG_TEXT,
  'gen_ai.input.messages': '[{"role":"user","content":"hello"}]',
};

describe('ClickHouse attribute maps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'foghorn-ch-map-'));
  let store: Store;
  let driver: ClickHouseDriver;
  const span = {
    ...makeSpan({
      traceId: 'c'.repeat(32),
      spanId: '3'.repeat(16),
      startMs: START_MS,
      durationMs: 400,
      model: 'gpt-4o',
      attributes: ATTRIBUTES,
    }),
    resourceAttributes: { 'service.name': 'svc', 'process.pid': 4242 },
  };

  beforeAll(async () => {
    store = await openClickHouseStore(openChdbDriver(dir), { layout: LAYOUT });
    driver = openChdbDriver(dir);
    await store.writeSpans([span]);
  });

  afterAll(async () => {
    await driver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('filters spans by a map key', async () => {
    const rows = await driver.query(
      `SELECT span_id, attributes_map['gen_ai.request.model'] AS model,
         toFloat64(attributes_map['gen_ai.request.temperature']) AS temperature,
         toInt64(attributes_map['gen_ai.usage.input_tokens']) AS input_tokens
       FROM mapped.spans WHERE attributes_map['gen_ai.request.model'] = {model:String}`,
      { model: 'gpt-4o' },
    );
    expect(rows).toEqual([
      { span_id: '3'.repeat(16), model: 'gpt-4o', temperature: 0.25, input_tokens: 120 },
    ]);
  });

  it('flattens values to JSON text', async () => {
    const rows = await driver.query(
      `SELECT attributes_map AS attributes, resource_attributes_map AS resource FROM mapped.spans`,
    );
    expect(rows[0]!.attributes).toEqual({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.temperature': '0.25',
      'gen_ai.usage.input_tokens': '120',
      'gen_ai.request.stream': 'true',
      'gen_ai.request.stop_sequences': '["END","STOP"]',
      'app.options': '{"retries":2}',
      'gen_ai.input.messages': '[{"role":"user","content":"hello"}]',
    });
    expect(rows[0]!.resource).toEqual({ 'service.name': 'svc', 'process.pid': '4242' });
  });

  it('keeps long values in the JSON column', async () => {
    const [stored] = await store.getTrace('default', 'c'.repeat(32));
    expect(stored!.attributes['app.long_text']).toBe(LONG_TEXT);
    expect(stored!.attributes).toEqual(ATTRIBUTES);
  });

  it('removes expired content from the map', async () => {
    const cutoffNs = BigInt(START_MS + 60_000) * NANOS_PER_MS;
    const counts = await store.applyRetention({
      spansBeforeUnixNano: null,
      contentBeforeUnixNano: cutoffNs,
      metricsBeforeUnixNano: null,
      logsBeforeUnixNano: null,
      scoresBeforeUnixNano: null,
    });
    expect(counts.spansContentBlanked).toBe(1);
    const rows = await driver.query(
      `SELECT mapContains(attributes_map, 'gen_ai.input.messages') AS has_messages,
         attributes_map['foghorn.content_expired'] AS expired,
         attributes_map['gen_ai.request.model'] AS model
       FROM mapped.spans`,
    );
    expect(rows).toEqual([{ has_messages: 0, expired: 'true', model: 'gpt-4o' }]);
  });
});
