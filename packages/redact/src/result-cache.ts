import type { DetectorCounts } from './types.ts';

/** One cached redaction: the output and the replacements it counted. */
export interface CachedResult {
  output: string;
  counts: DetectorCounts;
}

export interface ResultCacheLimits {
  maxEntries: number;
  /** Sum of the lengths of the cached inputs, in UTF-16 code units. */
  maxTotalChars: number;
  /** Inputs longer than this are never cached. */
  maxInputChars: number;
}

/**
 * Defaults sized for prompts: system prompts and tool definitions that repeat
 * across spans. The inputs take at most about 8 MiB (UTF-16) and the outputs
 * about as much.
 */
export const DEFAULT_RESULT_CACHE_LIMITS: Readonly<ResultCacheLimits> = Object.freeze({
  maxEntries: 1024,
  maxTotalChars: 4 * 1024 * 1024,
  maxInputChars: 256 * 1024,
});

/**
 * A least-recently-used cache of redaction results keyed by the input string.
 * A `Map` iterates in insertion order, so re-inserting an entry on every hit
 * keeps the least recently used entry first, where eviction takes it from.
 */
export class ResultCache {
  private readonly entries = new Map<string, CachedResult>();
  private totalChars = 0;

  constructor(private readonly limits: ResultCacheLimits = DEFAULT_RESULT_CACHE_LIMITS) {}

  get(input: string): CachedResult | undefined {
    const result = this.entries.get(input);
    if (result !== undefined) {
      this.entries.delete(input);
      this.entries.set(input, result);
    }
    return result;
  }

  set(input: string, result: CachedResult): void {
    if (input.length > this.limits.maxInputChars || this.entries.has(input)) return;
    this.entries.set(input, result);
    this.totalChars += input.length;
    while (
      this.entries.size > this.limits.maxEntries ||
      this.totalChars > this.limits.maxTotalChars
    ) {
      this.evictOldest();
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next().value as string;
    this.entries.delete(oldest);
    this.totalChars -= oldest.length;
  }
}
