/** Decides whether this process runs the jobs that only one node of a deployment may run. */
export interface Leader {
  /** True while this process holds the lease; jobs check it before each run. */
  isLeader(): boolean;
  start(): Promise<void>;
  /** Stops renewing; the lease lapses at its expiry. Idempotent. */
  stop(): Promise<void>;
}

/** The leader of a single-node deployment (the DuckDB store): always this process. */
export function alwaysLeader(): Leader {
  return {
    isLeader: () => true,
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}
