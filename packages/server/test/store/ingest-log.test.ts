import { randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestLog } from '../../src/store/duckdb/ingest-log.ts';

function payloads(log: IngestLog, afterSeq = 0): [number, string][] {
  return [...log.records(afterSeq)].map((record) => [record.seq, record.payload.toString()]);
}

function segmentFiles(directory: string): string[] {
  return readdirSync(directory).filter((name) => name.endsWith('.log'));
}

/**
 * Logs the records 'first' and 'second', then flips every bit of the segment file's byte at
 * `position(bytes)`. Returns the file's path and its damaged bytes.
 */
async function damageSegment(
  directory: string,
  position: (bytes: Buffer) => number,
): Promise<{ path: string; bytes: Buffer }> {
  const log = IngestLog.open(directory, null, 0);
  await log.append(Buffer.from('first'));
  await log.append(Buffer.from('second'));
  await log.close();
  const [segment] = segmentFiles(directory);
  const path = join(directory, segment!);
  const bytes = readFileSync(path);
  const index = position(bytes);
  bytes[index] = bytes[index]! ^ 0xff;
  writeFileSync(path, bytes);
  return { path, bytes };
}

describe('ingest log', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'foghorn-ingest-log-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads records back after reopening', async () => {
    const log = IngestLog.open(directory, null, 0);
    const appends = ['a', 'bb', 'ccc'].map((text) => log.append(Buffer.from(text)));
    const seqs = await Promise.all(appends);
    expect(seqs).toEqual([1, 2, 3]);
    await log.close();

    const reopened = IngestLog.open(directory, null, 0);
    expect(payloads(reopened)).toEqual([
      [1, 'a'],
      [2, 'bb'],
      [3, 'ccc'],
    ]);
    expect(payloads(reopened, 2)).toEqual([[3, 'ccc']]);
    expect(await reopened.append(Buffer.from('d'))).toBe(4);
    await reopened.close();
  });

  it('continues after the stored position', async () => {
    const log = IngestLog.open(directory, null, 41);
    expect(await log.append(Buffer.from('x'))).toBe(42);
    await log.close();
  });

  it('truncates a torn last record', async () => {
    const log = IngestLog.open(directory, null, 0);
    await log.append(Buffer.from('kept'));
    await log.append(Buffer.from('torn by a crash'));
    await log.close();
    const [segment] = segmentFiles(directory);
    const path = join(directory, segment!);
    truncateSync(path, statSync(path).size - 3);

    const reopened = IngestLog.open(directory, null, 0);
    expect(payloads(reopened)).toEqual([[1, 'kept']]);
    // 16 bytes of header and 4 of payload: the torn record is cut off the file.
    expect(statSync(path).size).toBe(20);
    expect(await reopened.append(Buffer.from('next'))).toBe(2);
    await reopened.close();
    expect(payloads(IngestLog.open(directory, null, 0))).toEqual([
      [1, 'kept'],
      [2, 'next'],
    ]);
  });

  it('stops at a failed checksum', async () => {
    await damageSegment(directory, (bytes) => bytes.length - 1);

    expect(payloads(IngestLog.open(directory, null, 0))).toEqual([[1, 'first']]);
  });

  it('keeps a damaged segment aside', async () => {
    // The first record's payload starts after its 16-byte header.
    const { path, bytes } = await damageSegment(directory, () => 16);

    const reopened = IngestLog.open(directory, null, 0);
    expect(payloads(reopened)).toEqual([]);
    expect(reopened.damage).toEqual([
      `segment ${path} of the ingest log is damaged at byte 0 of 43; its records from there on cannot be loaded, and the whole file is kept in ${path}.damaged`,
    ]);
    expect(readFileSync(`${path}.damaged`)).toEqual(bytes);
  });

  it('release deletes committed segments', async () => {
    const log = IngestLog.open(directory, null, 0);
    await log.append(Buffer.from('one'));
    await log.append(Buffer.from('two'));
    await log.release(1);
    expect(segmentFiles(directory)).toHaveLength(1);
    await log.release(2);
    expect(segmentFiles(directory)).toEqual([]);
    expect(await log.append(Buffer.from('three'))).toBe(3);
    expect(payloads(log)).toEqual([[3, 'three']]);
    await log.close();
  });

  it('rotates segments past 32 MiB', async () => {
    const log = IngestLog.open(directory, null, 0);
    const megabyte = Buffer.alloc(1024 * 1024, 7);
    const seqs = await Promise.all(Array.from({ length: 40 }, () => log.append(megabyte)));
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // 32 records of 1 MiB and their headers pass 32 MiB, so record 33 opens the second file.
    expect(segmentFiles(directory)).toEqual([
      'segment-0000000000000001.log',
      'segment-0000000000000033.log',
    ]);
    expect([...log.records(0)].map((record) => record.seq)).toEqual(seqs);
    await log.release(32);
    expect(segmentFiles(directory)).toEqual(['segment-0000000000000033.log']);
    await log.close();
    expect([...IngestLog.open(directory, null, 0).records(0)].map((record) => record.seq)).toEqual(
      seqs.slice(32),
    );
  });

  it('rotate lets release delete', async () => {
    const log = IngestLog.open(directory, null, 0);
    await log.append(Buffer.from('one'));
    log.rotate();
    const second = log.append(Buffer.from('two'));
    // The first segment holds only released records, so it goes while the second is syncing.
    await log.release(1);
    expect(await second).toBe(2);
    expect(segmentFiles(directory)).toEqual(['segment-0000000000000002.log']);
    await log.close();
  });

  it('seals records with the key', async () => {
    const key = randomBytes(32);
    const log = IngestLog.open(directory, key, 0);
    await log.append(Buffer.from('user@example.com asked about order 1234'));
    await log.close();
    const [segment] = segmentFiles(directory);
    expect(readFileSync(join(directory, segment!)).toString('latin1')).not.toContain('example.com');
    expect(payloads(IngestLog.open(directory, key, 0))).toEqual([
      [1, 'user@example.com asked about order 1234'],
    ]);
    expect(() => payloads(IngestLog.open(directory, randomBytes(32), 0))).toThrow(
      /record 1 of the ingest log cannot be decrypted, .*Start Foghorn with the key the store was written with/,
    );
  });

  it('write failure names the directory', async () => {
    const log = IngestLog.open(directory, null, 0);
    rmSync(directory, { recursive: true, force: true });
    await expect(log.append(Buffer.from('lost'))).rejects.toThrow(
      `the ingest log in ${directory} could not be written`,
    );
    await log.close();
  });
});
