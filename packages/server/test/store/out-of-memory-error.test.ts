import { describe, expect, it } from 'vitest';
import { invalidationRemedy, isOutOfMemoryError } from '../../src/store/duckdb/invalidation.ts';
import { COMMIT_OUT_OF_MEMORY } from '../helpers/fault-injection.ts';

/** Messages of DuckDB 1.5.6, as the store's connections reported them. */
const APPEND =
  'Failed to append: failed to allocate data of size 32.0 KiB (948.0 KiB/976.5 KiB used)';
const QUERY =
  'Out of Memory Error: failed to allocate data of size 192.0 KiB (121.8 MiB/122.0 MiB used)\n\nPossible solutions:';
const INVALIDATED_BY_MEMORY =
  'FATAL Error: Failed: database has been invalidated because of a previous fatal error. The database must be restarted prior to being used again.\nOriginal error: "Failed to rollback transaction. Cannot continue operation.\nOriginal Error: Out of Memory Error: failed to pin block of size 256.0 KiB (3.7 MiB/3.8 MiB used)';
const INVALIDATED_BY_DISK =
  'IO Error: Database "foghorn" has been invalidated because checkpointing failed. Original error: Could not write file "foghorn.duckdb": No space left on device';

describe('DuckDB memory errors', () => {
  it('recognizes each memory error', () => {
    expect(isOutOfMemoryError(new Error(APPEND))).toBe(true);
    expect(isOutOfMemoryError(new Error(COMMIT_OUT_OF_MEMORY))).toBe(true);
    expect(isOutOfMemoryError(new Error(QUERY))).toBe(true);
  });

  it('leaves invalidation to a restart', () => {
    expect(isOutOfMemoryError(new Error(INVALIDATED_BY_MEMORY))).toBe(false);
    expect(invalidationRemedy(new Error(INVALIDATED_BY_MEMORY))).toBe(
      'Raise --memory-limit, then restart Foghorn.',
    );
    expect(invalidationRemedy(new Error(INVALIDATED_BY_DISK))).toBe(
      'Free disk space, then restart Foghorn.',
    );
  });
});
