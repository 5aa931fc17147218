import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  duckDbInstanceOf,
  openDuckDbStore,
} from '../../packages/server/src/store/duckdb/duckdb-store.ts';
import { insertSpansOverWindow } from '../query/generate-spans.ts';

const DAY_MS = 86_400_000;
/** Days the preloaded spans cover, ending PRELOAD_END_GAP_MS before the benchmark's own spans. */
const PRELOAD_DAYS = 30;
const PRELOAD_END_GAP_MS = 2 * 3_600_000;

/**
 * Builds a store of `spans` synthetic spans, the query bench's mix, over the 30 days that end
 * two hours before `nowMs`, with its rollups. Each case copies it, so the
 * server ingests into a store that already contains a month of data. Returns its data directory.
 */
export async function buildPreloadedStore(spans: number, nowMs: number): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foghorn-bench-preloaded-'));
  const store = await openDuckDbStore(dataDir);
  const connection = await duckDbInstanceOf(store)!.connect();
  try {
    const endMs = nowMs - PRELOAD_END_GAP_MS;
    const startMs = endMs - PRELOAD_DAYS * DAY_MS;
    await insertSpansOverWindow(connection, spans, startMs, endMs);
    await store.rebuildRollups({ fromUnixMs: startMs, toUnixMs: endMs + DAY_MS });
    await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    await store.close();
  }
  return dataDir;
}
