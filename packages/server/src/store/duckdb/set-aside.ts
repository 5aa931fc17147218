import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { FoghornError } from '../../errors.ts';
import type { CanonicalSpan } from '../../semconv/canonical-span.ts';
import type { SetAsideSummary } from '../store.ts';
import type { DamagedSegmentCopy, IngestLog, RejectedRecordFile } from './ingest-log.ts';

/** A batch that the loader set aside after failed loads, with its spans. */
export interface SetAsideBatch {
  record: RejectedRecordFile;
  spans: CanonicalSpan[];
}

/** Decodes the spans of one ingest log record. */
export function decodeSpans(seq: number, payload: Buffer): CanonicalSpan[] {
  const spans: unknown = deserialize(payload);
  if (!Array.isArray(spans)) {
    throw new Error(`record ${seq} of the ingest log does not contain a list of spans`);
  }
  return spans as CanonicalSpan[];
}

/** A file in the `rejected` directory that cannot be read or decoded as a batch of spans. */
export class UnreadableSetAsideError extends FoghornError {
  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'SET_ASIDE_UNREADABLE',
      `the set-aside ingest batch ${path} cannot be read: ${reason}. Listing, retrying, erasure and retention read every file in ${dirname(path)}, so move it out of that directory (or restart Foghorn with the key it was sealed with), then try again.`,
      500,
    );
  }
}

/** Reads every set-aside batch of `log`, oldest first. Throws UnreadableSetAsideError for a bad file. */
export function readSetAside(log: IngestLog): SetAsideBatch[] {
  return log.rejectedRecords().map((record) => {
    try {
      return { record, spans: decodeSpans(record.seq, log.readRejected(record)) };
    } catch (error) {
      throw new UnreadableSetAsideError(record.path, error);
    }
  });
}

/**
 * Seals the set-aside batches that a plain store wrote, when `log` has a key. A file that the
 * key opens is left alone, and one that is neither sealed with it nor a plain batch is left
 * for the reads to report. Returns how many batches were sealed.
 */
export function sealPlainSetAside(log: IngestLog): number {
  let sealed = 0;
  for (const record of log.rejectedRecords()) {
    try {
      log.readRejected(record);
      continue;
    } catch {
      // Not sealed with this key: a plain batch from before the encryption, or a foreign file.
    }
    let stored: Buffer;
    try {
      stored = readFileSync(record.path);
      decodeSpans(record.seq, stored);
    } catch {
      continue;
    }
    log.replaceRejected(record, stored);
    sealed += 1;
  }
  return sealed;
}

/** Lists the set-aside batches and the damaged segment copies of `log`. */
export function summarizeSetAside(log: IngestLog): SetAsideSummary {
  return {
    rejected: readSetAside(log).map(({ record, spans }) => ({
      seq: record.seq,
      spans: spans.length,
      bytes: record.bytes,
    })),
    damaged: log.damagedCopies(),
  };
}

/**
 * Removes the spans that `drop` selects from the set-aside batches of `log`, or from `batches`
 * when the caller has read them already. A batch left empty is deleted. Returns how many spans
 * were removed.
 */
export function dropSetAsideSpans(
  log: IngestLog,
  drop: (span: CanonicalSpan) => boolean,
  batches: readonly SetAsideBatch[] = readSetAside(log),
): number {
  let removed = 0;
  for (const { record, spans } of batches) {
    const remaining = spans.filter((span) => !drop(span));
    if (remaining.length === spans.length) continue;
    removed += spans.length - remaining.length;
    log.replaceRejected(record, remaining.length === 0 ? null : serialize(remaining));
  }
  return removed;
}

/** Deletes the damaged segment copies of `log` that `remove` selects, and returns them. */
export function deleteDamagedCopies(
  log: IngestLog,
  remove: (copy: DamagedSegmentCopy) => boolean,
): DamagedSegmentCopy[] {
  const removed = log.damagedCopies().filter(remove);
  for (const copy of removed) log.deleteDamagedCopy(copy);
  return removed;
}
