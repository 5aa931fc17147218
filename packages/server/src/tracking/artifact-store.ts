import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { extname, join, posix, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidParameter } from './mlflow-error.ts';

export interface ArtifactEntry {
  /** The name inside the listed folder. */
  path: string;
  isDir: boolean;
  fileSizeBytes?: number;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.yaml': 'text/plain',
  '.yml': 'text/plain',
  '.md': 'text/plain',
  '.py': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.html': 'text/html',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
};

/** Guesses a content type from the file name; MLflow's `MLmodel` file is text. */
export function contentTypeFor(path: string): string {
  if (posix.basename(path) === 'MLmodel') return 'text/plain';
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Rejects artifact paths that could leave the artifact root: absolute paths,
 * `..` segments, backslashes, NUL and drive letters.
 */
export function checkArtifactPath(path: string): string {
  const invalid =
    path.startsWith('/') ||
    path.includes('\\') ||
    path.includes('\0') ||
    /^[a-zA-Z]:/.test(path) ||
    path.split('/').some((segment) => segment === '..' || segment === '~');
  if (invalid)
    throw invalidParameter(
      `Invalid path '${path}': artifact paths must be relative and must not contain '..'.`,
    );
  const normalized = posix.normalize(path === '' ? '.' : path);
  return normalized === '.' ? '' : normalized.replace(/\/+$/, '');
}

/** Artifact files under one folder, addressed by paths relative to it. */
export class ArtifactStore {
  constructor(readonly rootDir: string) {}

  private absolute(path: string): string {
    const relative = checkArtifactPath(path);
    return relative === '' ? this.rootDir : join(this.rootDir, ...relative.split('/'));
  }

  /** Writes a file from a stream through a temporary name, so readers never see half a file. */
  async write(path: string, body: Readable): Promise<void> {
    const target = this.absolute(path);
    if (target === this.rootDir)
      throw invalidParameter('Invalid path: an upload needs a file path.');
    await mkdir(join(target, '..'), { recursive: true });
    const temporary = `${target}.foghorn-upload-${process.pid}-${Date.now()}`;
    try {
      await pipeline(body, createWriteStream(temporary));
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Lists one level of a folder; a file or a missing path lists as empty, as MLflow's proxy does. */
  async list(path: string): Promise<ArtifactEntry[]> {
    const folder = this.absolute(path);
    let names: string[];
    try {
      names = (await readdir(folder)).sort();
    } catch {
      return [];
    }
    const entries: ArtifactEntry[] = [];
    for (const name of names) {
      if (name.includes('.foghorn-upload-')) continue;
      const info = await stat(join(folder, name));
      entries.push(
        info.isDirectory()
          ? { path: name, isDir: true }
          : { path: name, isDir: false, fileSizeBytes: info.size },
      );
    }
    return entries;
  }

  /** Opens a file for reading, or returns null when it is missing or a folder. */
  async open(path: string): Promise<{ stream: ReadStream; sizeBytes: number } | null> {
    const file = this.absolute(path);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile()) return null;
    return { stream: createReadStream(file), sizeBytes: info.size };
  }

  async delete(path: string): Promise<void> {
    const target = this.absolute(path);
    if (target === this.rootDir || !target.startsWith(this.rootDir + sep)) {
      throw invalidParameter(`Invalid path '${path}': it does not name an artifact.`);
    }
    await rm(target, { recursive: true, force: true });
  }
}
