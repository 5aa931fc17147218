/**
 * Opens the DuckDB store in the data directory given as the first argument, writes
 * BATCHES batches of LLM calls, prints how many spans were acknowledged, and kills
 * its own process with SIGKILL before the store commits them to DuckDB.
 */
import { openDuckDbStore } from '../../../src/store/duckdb/duckdb-store.ts';
import { makeSpan } from '../../api/span-factory.ts';

const BATCHES = 5;
const SPANS_PER_BATCH = 40;
const START_MS = Date.UTC(2026, 10, 20, 9, 0, 0);

const store = await openDuckDbStore(process.argv[2]!);
let acknowledged = 0;
for (let batch = 0; batch < BATCHES; batch++) {
  const spans = Array.from({ length: SPANS_PER_BATCH }, (_, i) =>
    makeSpan({
      traceId: (batch + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      startMs: START_MS + batch * 1000 + i,
      durationMs: 250,
      model: 'gpt-4o',
      tenant: 'acme',
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.001,
    }),
  );
  await store.writeSpans(spans);
  acknowledged += spans.length;
}
process.stdout.write(`acknowledged ${acknowledged}\n`);
process.kill(process.pid, 'SIGKILL');
