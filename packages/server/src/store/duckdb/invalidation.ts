/**
 * The text of DuckDB's errors once a failed checkpoint, such as on a full disk, has
 * invalidated an attached database (DuckDB 1.5).
 */
const INVALIDATED_PATTERN = /has been invalidated/;

/** DuckDB 1.5's error when a COMMIT is durable but the automatic checkpoint after it failed. */
const DURABLE_COMMIT_PATTERN = /COMMIT succeeded and is durable/;

/** Returns whether `error` reports that DuckDB invalidated the database, so every write fails until a restart. */
export function isInvalidatedError(error: unknown): boolean {
  return INVALIDATED_PATTERN.test(messageOf(error));
}

/** Returns whether `error` reports a COMMIT that stored its data although the statement failed. */
export function isDurableCommitError(error: unknown): boolean {
  return error instanceof Error && DURABLE_COMMIT_PATTERN.test(error.message);
}

/**
 * DuckDB 1.5's errors when an allocation would pass its `memory_limit`. Queries report
 * "Out of Memory Error", and the appender reports only the allocation that failed.
 */
const OUT_OF_MEMORY_PATTERN =
  /Out of Memory Error|failed to allocate data of size|could not allocate block of size|failed to pin block/;

/**
 * Returns whether `error` reports that DuckDB reached its memory limit, which passes once memory
 * frees up. An error of an invalidated database is not one, even when its original error was.
 */
export function isOutOfMemoryError(error: unknown): boolean {
  const message = messageOf(error);
  return OUT_OF_MEMORY_PATTERN.test(message) && !INVALIDATED_PATTERN.test(message);
}

/** Returns what an operator does before restarting after `error` invalidated the database. */
export function invalidationRemedy(error: unknown): string {
  return OUT_OF_MEMORY_PATTERN.test(messageOf(error))
    ? 'Raise --memory-limit, then restart Foghorn.'
    : 'Free disk space, then restart Foghorn.';
}

/** Returns the first line of an error's message, without the general advice DuckDB appends. */
export function firstLine(error: unknown): string {
  return messageOf(error).split('\n')[0]!;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
