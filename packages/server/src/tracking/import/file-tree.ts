import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Returns the files below `dir` as slash-separated paths relative to it; a missing folder has none. */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
}

/** Reads every file below `dir` into `{key: content}` pairs, the path being the key (MLflow's params and tags). */
export async function readKeyValueFiles(dir: string): Promise<{ key: string; value: string }[]> {
  const keys = await listFilesRecursive(dir);
  return Promise.all(
    keys.map(async (key) => ({ key, value: await readFile(join(dir, key), 'utf8') })),
  );
}

export async function readYamlFile(path: string): Promise<Record<string, unknown>> {
  const parsed: unknown = parse(await readFile(path, 'utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${path} is not a YAML mapping`);
  return parsed as Record<string, unknown>;
}

export async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

export async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
