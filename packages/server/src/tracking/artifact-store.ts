import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, extname, join, posix, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_PROJECT_ID } from '../auth/request-scope.ts';
import { invalidParameter } from './mlflow-error.ts';
import {
  FILE_OVERHEAD_BYTES,
  createEncryptStream,
  isEncryptedFile,
  openDecryptStream,
} from '../crypto/file-cipher.ts';

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

/**
 * Artifact files under one folder, addressed by paths relative to it. With
 * `encryptionKey`, new files are written AES-256-GCM encrypted and bound to their
 * relative path. Files written before the key was set are still read as plain files.
 */
export class ArtifactStore {
  constructor(
    readonly rootDir: string,
    private readonly encryptionKey: Buffer | null = null,
  ) {}

  /**
   * Returns the artifacts of one project; call it on the default project's
   * store. The default project keeps `rootDir`, where artifacts were stored
   * before projects existed, and every other project gets
   * `project-artifacts/<project id>` beside it. Paths cannot contain `..`, so
   * no path of one project reaches another project's root.
   */
  forProject(projectId: string): ArtifactStore {
    if (projectId === DEFAULT_PROJECT_ID) return this;
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(projectId))
      throw new Error(
        `invalid project id '${projectId}' for an artifact folder: expected 1 to 63 lowercase letters, digits, '-' or '_'`,
      );
    const projectRoot = join(dirname(this.rootDir), 'project-artifacts', projectId);
    return new ArtifactStore(projectRoot, this.encryptionKey);
  }

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
      if (this.encryptionKey === null) await pipeline(body, createWriteStream(temporary));
      else
        await pipeline(
          body,
          createEncryptStream(this.encryptionKey, checkArtifactPath(path)),
          createWriteStream(temporary),
        );
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
          : {
              path: name,
              isDir: false,
              fileSizeBytes: await this.plainSizeBytes(join(folder, name), info.size),
            },
      );
    }
    return entries;
  }

  /** Opens a file for reading, decrypted when it is encrypted, or returns null when it is missing or a folder. */
  async open(path: string): Promise<{ stream: Readable; sizeBytes: number } | null> {
    const file = this.absolute(path);
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile()) return null;
    if (!(await isEncryptedFile(file)))
      return { stream: createReadStream(file), sizeBytes: info.size };
    if (this.encryptionKey === null) {
      throw new Error(
        `artifact ${checkArtifactPath(path)} is encrypted; start Foghorn with the encryption key it was written with`,
      );
    }
    return openDecryptStream(file, this.encryptionKey, checkArtifactPath(path));
  }

  private async plainSizeBytes(file: string, fileBytes: number): Promise<number> {
    return (await isEncryptedFile(file)) ? fileBytes - FILE_OVERHEAD_BYTES : fileBytes;
  }

  async delete(path: string): Promise<void> {
    const target = this.absolute(path);
    if (target === this.rootDir || !target.startsWith(this.rootDir + sep)) {
      throw invalidParameter(`Invalid path '${path}': it does not name an artifact.`);
    }
    await rm(target, { recursive: true, force: true });
  }
}
