import { describe, expect, it } from 'vitest';
import type { CanonicalSpan } from '../../src/semconv/canonical-span.ts';
import { GroupCommit } from '../../src/store/group-commit.ts';
import { WriteQueueFullError } from '../../src/store/write-queue-full.ts';
import { makeSpan } from '../api/span-factory.ts';

function spans(count: number, first: number): CanonicalSpan[] {
  return Array.from({ length: count }, (_, index) =>
    makeSpan({
      traceId: (first + index + 1).toString(16).padStart(32, '0'),
      spanId: (first + index + 1).toString(16).padStart(16, '0'),
      startMs: Date.UTC(2026, 10, 20),
      durationMs: 100,
    }),
  );
}

/** Creates a commit that waits until the test releases it, and records each batch. */
function gatedCommit(): {
  commit: (batch: CanonicalSpan[]) => Promise<void>;
  batches: number[];
  release: () => void;
} {
  const batches: number[] = [];
  let open: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (open = resolve));
  return {
    batches,
    commit: async (batch) => {
      await gate;
      batches.push(batch.length);
    },
    release: () => {
      open();
      gate = Promise.resolve();
    },
  };
}

describe('group commit', () => {
  it('shares one commit among waiting writes', async () => {
    const gated = gatedCommit();
    const group = new GroupCommit(gated.commit, 'test', 100);
    const first = group.write(spans(3, 0));
    const second = group.write(spans(4, 3));
    const third = group.write(spans(5, 7));
    gated.release();
    await Promise.all([first, second, third]);
    // The first write started a commit alone, and the two that waited behind it shared the next.
    expect(gated.batches).toEqual([3, 9]);
  });

  it('rejects a write over the queue limit', async () => {
    const gated = gatedCommit();
    const group = new GroupCommit(gated.commit, 'test', 10);
    const accepted = group.write(spans(8, 0));
    const rejected = group.write(spans(3, 8));
    await expect(rejected).rejects.toBeInstanceOf(WriteQueueFullError);
    await expect(rejected).rejects.toThrow('8 spans waiting, limit 10');
    gated.release();
    await accepted;
    // The rejected spans never reached a commit, and the accepted ones did.
    expect(gated.batches).toEqual([8]);
    await group.write(spans(3, 8));
    expect(gated.batches).toEqual([8, 3]);
  });

  it('accepts one write above the limit alone', async () => {
    const gated = gatedCommit();
    const group = new GroupCommit(gated.commit, 'test', 10);
    const large = group.write(spans(12, 0));
    gated.release();
    await large;
    expect(gated.batches).toEqual([12]);
  });

  it('fails only the writes of a failed commit', async () => {
    const gated = gatedCommit();
    let calls = 0;
    const group = new GroupCommit(
      async (batch) => {
        calls++;
        if (calls === 1) {
          await gated.commit([]);
          throw new Error('disk full');
        }
        await gated.commit(batch);
      },
      'test',
      100,
    );
    const failing = group.write(spans(1, 0));
    const waiting = [group.write(spans(2, 1)), group.write(spans(2, 3))];
    gated.release();
    await expect(failing).rejects.toThrow('disk full');
    await Promise.all(waiting);
    // The two writes that waited behind the failed commit shared the next one.
    expect(gated.batches).toEqual([0, 4]);
  });

  it('a poison write fails alone', async () => {
    const gated = gatedCommit();
    const poison = spans(1, 100)[0]!;
    const group = new GroupCommit(
      async (batch) => {
        await gated.commit(batch);
        if (batch.includes(poison)) throw new Error('value out of range');
      },
      'test',
      100,
    );
    const first = group.write(spans(1, 0));
    const grouped = [group.write(spans(2, 1)), group.write([poison]), group.write(spans(3, 3))];
    gated.release();
    await first;
    const results = await Promise.allSettled(grouped);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('value out of range');
    // The shared commit of 6 spans failed, then each of its writes was committed on its own.
    expect(gated.batches).toEqual([1, 6, 2, 1, 3]);
  });

  it('close commits queued writes first', async () => {
    const gated = gatedCommit();
    const group = new GroupCommit(gated.commit, 'DuckDB', 100);
    const queued = [group.write(spans(2, 0)), group.write(spans(3, 2))];
    const closing = group.close();
    gated.release();
    await closing;
    await Promise.all(queued);
    expect(gated.batches).toEqual([2, 3]);
    await expect(group.write(spans(1, 5))).rejects.toThrow('the DuckDB span writer is closed');
  });
});
