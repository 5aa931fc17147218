/** An erasure for the store: every form the user id can take in storage, and the attribute keys that contain it. */
export interface ErasureRequest {
  /** The project whose data is erased; other projects keep theirs. */
  projectId: string;
  /** The raw id and its pseudonym; stored data may hold either, depending on the policy in force when it arrived. */
  userIds: readonly string[];
  /** Attribute keys whose values are user ids, such as `user.id`. */
  userIdKeys: readonly string[];
  /** The id written to the erasure log: the pseudonym, never the raw id. */
  loggedUserId: string;
  requestedBy: string;
  requestedAtUnixMs: number;
}

/** Rows deleted per table by one erasure. */
export interface ErasureCounts {
  spans: number;
  logRecords: number;
  metricPoints: number;
  scores: number;
}

/** One entry of the persistent erasure log. */
export interface ErasureLogEntry {
  id: string;
  projectId: string;
  requestedAtUnixMs: number;
  requestedBy: string;
  loggedUserId: string;
  counts: ErasureCounts;
  /** Start times of the erased traces in Unix milliseconds, for rebuilding rollups; null when no span matched. */
  spanWindow: { fromUnixMs: number; toUnixMs: number } | null;
}
