#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50
// Runs the TypeScript CLI through tsx, so the repository needs no build step.
// The V8 flags above keep the server's memory down under sustained ingest: a young
// generation of 8 MiB semi-spaces, and an old generation that grows by half its live size
// between full collections. docs/benchmarks.md has the measurements.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
