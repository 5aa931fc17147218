#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50
// Runs the TypeScript CLI through tsx, so the repository needs no build step.
// The V8 flags above keep the server's memory down under sustained ingest: a young
// generation of 8 MiB semi-spaces, and an old generation that grows by half its live size
// between full collections. docs/benchmarks.md has the measurements.
import { register } from 'tsx/esm/api';

// DuckDB's bundled jemalloc reads this variable once, when libduckdb loads, so it is set
// before the CLI is imported. Pages that DuckDB frees go back to the kernel after 100 ms
// instead of DuckDB's default of 1 s, which saves about 40 MiB under ingest at the same
// throughput (docs/benchmarks.md). A value set by the user comes after these, and
// jemalloc lets the later setting win.
const ALLOCATOR_DEFAULTS = 'dirty_decay_ms:100,muzzy_decay_ms:0';
const userAllocatorConf = process.env.DUCKDB_JE_MALLOC_CONF;
process.env.DUCKDB_JE_MALLOC_CONF = userAllocatorConf
  ? `${ALLOCATOR_DEFAULTS},${userAllocatorConf}`
  : ALLOCATOR_DEFAULTS;

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
