/** Rows older than these Unix-nanosecond times are deleted or, for content, blanked; null keeps the signal forever. */
export interface RetentionCutoffs {
  spansBeforeUnixNano: bigint | null;
  contentBeforeUnixNano: bigint | null;
  metricsBeforeUnixNano: bigint | null;
  logsBeforeUnixNano: bigint | null;
  scoresBeforeUnixNano: bigint | null;
}

/** Rows changed by one retention run, per table. */
export interface RetentionCounts {
  spansDeleted: number;
  spansContentBlanked: number;
  logRecordsDeleted: number;
  logBodiesBlanked: number;
  metricPointsDeleted: number;
  scoresDeleted: number;
}
