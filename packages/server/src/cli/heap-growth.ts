import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past its live size before the next full
 * collection, in percent. Sustained ingest promotes request garbage into the old
 * generation, and with V8's default factor the heap grows by about 100 MiB of it.
 * At 50 the server's peak resident memory in `bench/ingest/memory-bench.ts` fell
 * below 512 MiB, at about 5 % of throughput (docs/benchmarks.md).
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets V8's heap growing factor for the server process, unless Node was started with
 * its own `--heap-growing-percent`, which then wins. The `foghorn` launcher's first line
 * passes the same value, and this call covers `node bin/foghorn.mjs up`, which skips that line.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
