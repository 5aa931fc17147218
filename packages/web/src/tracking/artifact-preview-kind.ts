/** The artifact browser's preview of a file, chosen by its extension. */
export type PreviewKind = 'image' | 'json' | 'text' | 'none';

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg']);
const TEXT_EXTENSIONS = new Set(['txt', 'log', 'md', 'csv', 'yaml', 'yml', 'py', 'html']);

export function previewKindOf(path: string): PreviewKind {
  const name = path.split('/').pop() ?? '';
  if (name === 'MLmodel') return 'text';
  const extension = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  if (IMAGE_EXTENSIONS.has(extension)) return 'image';
  if (extension === 'json') return 'json';
  if (TEXT_EXTENSIONS.has(extension)) return 'text';
  return 'none';
}
