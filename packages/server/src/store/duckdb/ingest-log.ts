import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writevSync,
} from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

/** Bytes before each record's payload: length (u32), CRC-32 of the payload (u32), sequence number (u64). */
const HEADER_BYTES = 16;
/** A segment that reaches this size is closed, and the next record starts a new one. */
const SEGMENT_BYTES = 32 * 1024 * 1024;
/** A length field above this is treated as damage. */
const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;
const SEGMENT_PATTERN = /^segment-(\d{16})\.log$/;
const REJECTED_PATTERN = /^(\d{16})\.record$/;
const DAMAGED_SUFFIX = '.damaged';
/** Directory inside the log for the records that the store rejected. */
const REJECTED_DIR_NAME = 'rejected';
/** Suffix of the file that a rewrite of a rejected record writes before it takes the record's name. */
const REWRITE_SUFFIX = '.tmp';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One record read back from the log. */
export interface LogRecord {
  seq: number;
  payload: Buffer;
}

/** A record that the store rejected, kept in the log's `rejected` directory. */
export interface RejectedRecordFile {
  seq: number;
  path: string;
  bytes: number;
}

/** The copy of a damaged segment, kept beside the log's segments. */
export interface DamagedSegmentCopy {
  path: string;
  bytes: number;
  /** When the copy was made, which is after every record in it was written. */
  copiedAtUnixMs: number;
}

interface Segment {
  path: string;
  firstSeq: number;
  lastSeq: number;
}

interface ActiveSegment {
  segment: Segment;
  fd: number;
  bytes: number;
}

interface SyncWaiter {
  seq: number;
  /** Descriptor of the segment the record was written to, which its sync must cover. */
  fd: number;
  resolve: (seq: number) => void;
  reject: (error: Error) => void;
}

function segmentName(firstSeq: number): string {
  return `segment-${String(firstSeq).padStart(16, '0')}.log`;
}

/**
 * Foghorn's write-ahead log of accepted batches, in a directory of segment files.
 * An append writes its record at once, so the payload is garbage right away,
 * and resolves after the next sync of the file. Appends that arrive while a
 * sync runs share the next one. Records carry increasing sequence numbers, and a
 * segment is deleted once every record in it is released. With a key, each
 * payload is sealed with AES-256-GCM and its sequence number as associated data,
 * so the log needs the same key as the store.
 */
export class IngestLog {
  private active: ActiveSegment | null = null;
  private nextSeq: number;
  /** Appends written and waiting for a sync that starts after them. */
  private waiting: SyncWaiter[] = [];
  /** The sync in progress, if any. */
  private syncing: Promise<void> | null = null;
  private closed = false;
  /** Descriptors of segments no longer appended to, closed when no sync runs. */
  private readonly retired: number[] = [];

  private constructor(
    readonly directory: string,
    private readonly key: Buffer | null,
    private readonly segments: Segment[],
    nextSeq: number,
    /** Segments found damaged when the log was opened, one sentence each. */
    readonly damage: readonly string[],
  ) {
    this.nextSeq = nextSeq;
  }

  /**
   * Opens the log in `directory`, creating it when missing. A record cut short by a crash,
   * or one whose checksum fails, ends its segment, and the file is truncated there. Damage
   * with more data behind it is listed in `damage`, and the file is first copied aside.
   * Sequence numbers continue after the larger of the last record and `minLastSeq`.
   */
  static open(directory: string, key: Buffer | null, minLastSeq: number): IngestLog {
    mkdirSync(directory, { recursive: true });
    deleteUnfinishedRewrites(join(directory, REJECTED_DIR_NAME));
    const segments: Segment[] = [];
    const damage: string[] = [];
    let lastSeq = minLastSeq;
    for (const name of readdirSync(directory).sort()) {
      if (!SEGMENT_PATTERN.test(name)) continue;
      const path = join(directory, name);
      const { records, validBytes, size, torn } = readSegment(path);
      if (validBytes < size) {
        if (!torn) {
          copyFileSync(path, `${path}${DAMAGED_SUFFIX}`);
          damage.push(
            `segment ${path} of the ingest log is damaged at byte ${validBytes} of ${size}; its records from there on cannot be loaded, and the whole file is kept in ${path}${DAMAGED_SUFFIX}`,
          );
        }
        // Later appends go to a new segment, so nothing follows the damaged record here.
        truncateSync(path, validBytes);
      }
      if (records.length === 0) {
        unlinkSync(path);
        continue;
      }
      const segmentLast = records[records.length - 1]!.seq;
      segments.push({ path, firstSeq: records[0]!.seq, lastSeq: segmentLast });
      lastSeq = Math.max(lastSeq, segmentLast);
    }
    return new IngestLog(directory, key, segments, lastSeq + 1, damage);
  }

  /** The sequence number of the last record appended. */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Appends one record and resolves with its sequence number once it is synced to disk. */
  append(payload: Buffer): Promise<number> {
    if (this.closed) return Promise.reject(new Error('the ingest log is closed'));
    const seq = this.nextSeq;
    const body = this.key === null ? payload : seal(this.key, seq, payload);
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32LE(body.length, 0);
    header.writeUInt32LE(crc32(body), 4);
    header.writeBigUInt64LE(BigInt(seq), 8);
    let fd: number;
    try {
      const active = this.activeSegment(seq);
      fd = active.fd;
      writeAll(fd, [header, body], active.bytes);
      active.bytes += HEADER_BYTES + body.length;
      active.segment.lastSeq = seq;
    } catch (error) {
      // A partial write may have left a torn record. Later records go to a new segment, so
      // the torn one stays last in its file, where opening the log truncates it.
      this.dropEmptyActive();
      this.closeActive();
      return Promise.reject(this.writeError(error));
    }
    this.nextSeq += 1;
    return new Promise((resolve, reject) => {
      this.waiting.push({ seq, fd, resolve, reject });
      if (this.syncing === null) this.syncing = this.syncWaiting();
    });
  }

  /** Reads the records with a sequence number above `afterSeq`, in order, one segment at a time. */
  *records(afterSeq: number, throughSeq = Number.MAX_SAFE_INTEGER): Generator<LogRecord> {
    for (const segment of [...this.segments]) {
      if (segment.lastSeq <= afterSeq || segment.firstSeq > throughSeq) continue;
      if (!existsSync(segment.path)) continue;
      for (const record of readSegment(segment.path).records) {
        if (record.seq <= afterSeq || record.seq > throughSeq) continue;
        yield {
          seq: record.seq,
          payload:
            this.key === null ? record.payload : unseal(this.key, record.seq, record.payload),
        };
      }
    }
  }

  /**
   * Deletes the segments whose records all have sequence numbers up to `throughSeq`. When
   * that is every record and no sync is running, the open segment is closed and deleted
   * too, so nothing the store has committed stays in the log.
   */
  async release(throughSeq: number): Promise<void> {
    if (this.active !== null && this.active.segment.lastSeq <= throughSeq && this.syncing === null)
      this.closeActive();
    const activePath = this.active?.segment.path;
    const released = this.segments.filter(
      (segment) => segment.lastSeq <= throughSeq && segment.path !== activePath,
    );
    // Taken off the list before the first await, so an overlapping release skips them.
    for (const segment of released) this.segments.splice(this.segments.indexOf(segment), 1);
    for (const segment of released) await unlink(segment.path);
  }

  /** Makes the next append start a new segment, so the current one can be released. */
  rotate(): void {
    this.closeActive();
  }

  /** Saves a record that the store rejected, so an operator can inspect or load it later. */
  keepRejected(seq: number, payload: Buffer): string {
    const directory = this.rejectedDirectory();
    mkdirSync(directory, { recursive: true });
    const path = join(directory, `${String(seq).padStart(16, '0')}.record`);
    // Synced before the caller moves the stored position past the record.
    this.writeRejectedFile(path, seq, payload);
    return path;
  }

  /** Lists the records kept in the `rejected` directory, oldest first. */
  rejectedRecords(): RejectedRecordFile[] {
    const directory = this.rejectedDirectory();
    if (!existsSync(directory)) return [];
    const records: RejectedRecordFile[] = [];
    for (const name of readdirSync(directory).sort()) {
      const match = REJECTED_PATTERN.exec(name);
      if (match === null) continue;
      const path = join(directory, name);
      records.push({ seq: Number(match[1]), path, bytes: statSync(path).size });
    }
    return records;
  }

  /** Reads the payload of a kept rejected record, decrypted. */
  readRejected(record: RejectedRecordFile): Buffer {
    const stored = readFileSync(record.path);
    return this.key === null ? stored : unseal(this.key, record.seq, stored);
  }

  /**
   * Replaces the payload of a kept rejected record, or deletes the record when `payload` is
   * null. The new payload goes to a synced temporary file that then takes the record's name,
   * so a crash leaves either the old payload or the new one.
   */
  replaceRejected(record: RejectedRecordFile, payload: Buffer | null): void {
    if (payload === null) {
      unlinkSync(record.path);
      return;
    }
    const temporary = `${record.path}${REWRITE_SUFFIX}`;
    try {
      this.writeRejectedFile(temporary, record.seq, payload);
      renameSync(temporary, record.path);
    } catch (error) {
      // The record keeps its old payload, and the partial copy must not outlive it unseen.
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  /** Lists the copies of damaged segments that opening the log kept, oldest first. */
  damagedCopies(): DamagedSegmentCopy[] {
    const copies: DamagedSegmentCopy[] = [];
    for (const name of readdirSync(this.directory).sort()) {
      if (!name.endsWith(DAMAGED_SUFFIX)) continue;
      const path = join(this.directory, name);
      const stats = statSync(path);
      copies.push({ path, bytes: stats.size, copiedAtUnixMs: stats.mtimeMs });
    }
    return copies;
  }

  deleteDamagedCopy(copy: DamagedSegmentCopy): void {
    unlinkSync(copy.path);
  }

  private rejectedDirectory(): string {
    return join(this.directory, REJECTED_DIR_NAME);
  }

  private writeRejectedFile(path: string, seq: number, payload: Buffer): void {
    const fd = openSync(path, 'w');
    try {
      writeAll(fd, [this.key === null ? payload : seal(this.key, seq, payload)], 0);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Waits until every append so far is synced or failed. */
  async idle(): Promise<void> {
    while (this.syncing !== null) await this.syncing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    this.closeActive();
  }

  /**
   * Syncs the segments that the appends so far were written to, then again while more arrive.
   * That can be a segment closed since, whose descriptor stays open until this sync ends.
   */
  private async syncWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const waiters = this.waiting;
      this.waiting = [];
      const descriptors = new Set(waiters.map((waiter) => waiter.fd));
      try {
        await Promise.all([...descriptors].map(syncFile));
        for (const waiter of waiters) waiter.resolve(waiter.seq);
      } catch (error) {
        this.closeActive();
        const failure = this.writeError(error);
        for (const waiter of waiters) waiter.reject(failure);
      }
    }
    this.syncing = null;
    this.closeRetired();
  }

  private activeSegment(firstSeq: number): ActiveSegment {
    if (this.active !== null && this.active.bytes >= SEGMENT_BYTES) {
      // The appends of the full segment are synced here, before its file is closed.
      fdatasyncSync(this.active.fd);
      this.closeActive();
    }
    if (this.active !== null) return this.active;
    const path = join(this.directory, segmentName(firstSeq));
    const fd = openSync(path, 'w');
    const segment = { path, firstSeq, lastSeq: firstSeq - 1 };
    this.segments.push(segment);
    this.active = { segment, fd, bytes: 0 };
    return this.active;
  }

  /**
   * Forgets the open segment when no record was written to it whole. The next segment
   * starts at the same sequence number and so reuses its file name, and a stale entry
   * would make `release` delete that file.
   */
  private dropEmptyActive(): void {
    const segment = this.active?.segment;
    if (segment === undefined || segment.lastSeq >= segment.firstSeq) return;
    this.segments.splice(this.segments.indexOf(segment), 1);
  }

  /**
   * Stops appending to the open segment. Its descriptor is closed once no sync uses it, so
   * a running sync never meets a closed descriptor or one that a new file has taken over.
   */
  private closeActive(): void {
    if (this.active === null) return;
    this.retired.push(this.active.fd);
    this.active = null;
    if (this.syncing === null) this.closeRetired();
  }

  private closeRetired(): void {
    for (const fd of this.retired.splice(0, this.retired.length)) {
      try {
        closeSync(fd);
      } catch {
        // The descriptor is gone either way.
      }
    }
  }

  private writeError(error: unknown): Error {
    return new Error(
      `the ingest log in ${this.directory} could not be written: ${(error as Error).message}. Free disk space or fix the directory's permissions, then retry.`,
    );
  }
}

/**
 * Deletes the temporary files of rejected-record rewrites that a crash interrupted. The
 * record kept its old payload or was deleted since, so the temporary file is only a stray
 * copy of spans that erasure and retention would never reach.
 */
function deleteUnfinishedRewrites(rejectedDirectory: string): void {
  if (!existsSync(rejectedDirectory) || !statSync(rejectedDirectory).isDirectory()) return;
  for (const name of readdirSync(rejectedDirectory)) {
    const path = join(rejectedDirectory, name);
    if (name.endsWith(REWRITE_SUFFIX) && lstatSync(path).isFile()) rmSync(path, { force: true });
  }
}

function syncFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fdatasync(fd, (error) => (error ? reject(error) : resolve())),
  );
}

/** Writes `buffers` at `position`, again from where a short write stopped. */
function writeAll(fd: number, buffers: readonly Buffer[], position: number): void {
  const remaining = [...buffers];
  let offset = position;
  while (remaining.length > 0) {
    const written = writevSync(fd, remaining, offset);
    if (written === 0) throw new Error('the disk accepted no bytes');
    offset += written;
    let skipped = written;
    while (remaining.length > 0 && skipped >= remaining[0]!.length) {
      skipped -= remaining[0]!.length;
      remaining.shift();
    }
    if (skipped > 0) remaining[0] = remaining[0]!.subarray(skipped);
  }
}

interface SegmentRead {
  records: LogRecord[];
  /** Bytes up to the end of the last whole record. */
  validBytes: number;
  size: number;
  /**
   * Whether the bytes after the last whole record are a record cut short, as a crash during
   * a write leaves it, rather than damage with more data behind it.
   */
  torn: boolean;
}

/** Reads a segment's records up to the first damaged one. */
function readSegment(path: string): SegmentRead {
  const data = readFileSync(path);
  const records: LogRecord[] = [];
  let offset = 0;
  let previousSeq = 0;
  let torn = true;
  while (offset + HEADER_BYTES <= data.length) {
    const length = data.readUInt32LE(offset);
    const checksum = data.readUInt32LE(offset + 4);
    const seq = Number(data.readBigUInt64LE(offset + 8));
    const end = offset + HEADER_BYTES + length;
    if (length > MAX_PAYLOAD_BYTES || seq <= previousSeq) {
      torn = false;
      break;
    }
    if (end > data.length) break;
    const payload = data.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== checksum) {
      // A crash can leave the last record's bytes unwritten. A bad record with data after it is damage.
      torn = end === data.length;
      break;
    }
    records.push({ seq, payload });
    previousSeq = seq;
    offset = end;
  }
  return { records, validBytes: offset, size: data.length, torn };
}

function seqBytes(seq: number): Buffer {
  const bytes = Buffer.allocUnsafe(8);
  bytes.writeBigUInt64LE(BigInt(seq));
  return bytes;
}

function seal(key: Buffer, seq: number, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(seqBytes(seq));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

function unseal(key: Buffer, seq: number, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(seqBytes(seq));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new Error(
      `record ${seq} of the ingest log cannot be decrypted, because the log was written with another encryption key. Start Foghorn with the key the store was written with.`,
    );
  }
}
