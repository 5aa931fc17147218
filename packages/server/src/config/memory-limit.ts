import { ConfigError } from '../errors.ts';

/** Bytes per unit that `--memory-limit` accepts, the units DuckDB's `memory_limit` takes. */
const UNIT_BYTES: ReadonlyMap<string, number> = new Map([
  ['b', 1],
  ['kb', 1e3],
  ['mb', 1e6],
  ['gb', 1e9],
  ['tb', 1e12],
  ['kib', 2 ** 10],
  ['mib', 2 ** 20],
  ['gib', 2 ** 30],
  ['tib', 2 ** 40],
]);

/**
 * The smallest limit accepted, and the smallest measured: sustained ingest into an empty
 * store, with the summary queries after it, ran at 64 MB (docs/benchmarks.md).
 */
export const MIN_MEMORY_LIMIT_BYTES = 64 * 2 ** 20;

/**
 * Parses a memory size such as `512MiB`, `2GB` or `1.5 GiB` into bytes, for DuckDB's
 * `memory_limit`. `source` names the option or variable in the error.
 */
export function parseMemoryLimit(text: string, source: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const factor = match === null ? undefined : UNIT_BYTES.get(match[2]!.toLowerCase());
  if (match === null || factor === undefined) {
    throw new ConfigError(
      `${source} "${text}" is not a memory size; give a number and a unit (B, KB, MB, GB, TB, KiB, MiB, GiB or TiB), such as 512MiB or 2GB`,
    );
  }
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < MIN_MEMORY_LIMIT_BYTES) {
    throw new ConfigError(
      `${source} "${text}" is below 64 MiB, the smallest limit Foghorn is measured with; give at least 64MiB`,
    );
  }
  return bytes;
}
